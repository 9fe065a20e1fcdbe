package io.github.nnunetfiji.fiji;

import org.scijava.ItemIO;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.log.Logger;
import org.scijava.plugin.Parameter;

/**
 * {@link NnunetCommand}'s reporting (outputs {@code success} and {@code message}, the same values
 * as the system properties {@value NnunetCommand#SUCCESS_PROPERTY} and
 * {@value NnunetCommand#MESSAGE_PROPERTY}) for a command whose inputs are set up at run time, e.g.
 * choices listing what is installed: SciJava lets only a {@link DynamicCommand} change its inputs.
 * Run through {@code ModuleService} or {@code CommandService}, such a command is its own module (not
 * wrapped in a {@code CommandModule}). For that reason scijava-common's {@code --run} cannot run it
 * (CommandService returns no result for such a command, and {@code --run} fails waiting on it): a
 * command meant for headless {@code --run} lines stays a {@link NnunetCommand}.
 */
public abstract class DynamicNnunetCommand extends DynamicCommand implements ShownOutput {

    @Parameter(label = "Succeeded", type = ItemIO.OUTPUT)
    protected boolean success;

    @Parameter(label = "Message", type = ItemIO.OUTPUT)
    protected String message = "";

    private boolean failed;

    @Parameter
    private LogService logService;

    private FijiLog logger;

    /**
     * This command's log: the console, and ImageJ's Log window too where ImageJ 1 shows its GUI
     * ({@link FijiLog}).
     */
    protected Logger log() {
        if (logger == null) {
            logger = FijiLog.of(logService);
        }
        return logger;
    }

    @Override
    public boolean logged(String text) {
        return logger != null && logger.said(text);
    }

    /**
     * Cancels and records the reason as this command's failure. Fiji shows the cancel reason in a
     * dialog, so with a display it is wrapped ({@link DialogText}); the message keeps the one line.
     */
    @Override
    public void cancel(String reason) {
        super.cancel(DialogText.forDialog(reason));
        reportFailure(reason);
    }

    /** The command ran but did not succeed; {@code why} says why and what to do. */
    protected void reportFailure(String why) {
        failed = true;
        success = false;
        message = why == null ? "" : why;
        NnunetCommand.publish(success, message);
    }

    /** Marks the start of a run: a macro reading the properties now sees no earlier command's result. */
    protected void started() {
        failed = false;
        success = false;
        message = "";
        NnunetCommand.publish(success, message);
    }

    /** Marks the end of a run: success unless a failure was reported or the command was canceled. */
    protected void finished(String summary) {
        if (!failed && !isCanceled()) {
            success = true;
            if (message == null || message.isEmpty()) {
                message = summary;
            }
        }
        NnunetCommand.publish(success, message);
    }

    /** As {@link NnunetCommand#shownOutput()}: the message by default. */
    @Override
    public String shownOutput() {
        return "message";
    }
}

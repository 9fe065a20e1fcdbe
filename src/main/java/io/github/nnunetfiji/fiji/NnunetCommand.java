package io.github.nnunetfiji.fiji;

import org.scijava.ItemIO;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.log.Logger;
import org.scijava.plugin.Parameter;

/**
 * What every nnU-Net command reports, so that a macro or a batch script can tell whether it worked
 * (Fiji's exit code stays 0 whatever happens):
 * <ul>
 *   <li>outputs {@code success} (true when the command did all it was asked) and {@code message}
 *       (what went wrong and how to fix it, or a one-line summary);</li>
 *   <li>the same two values as the Java system properties {@value #SUCCESS_PROPERTY} and
 *       {@value #MESSAGE_PROPERTY}, which an ImageJ macro reads with
 *       {@code call("java.lang.System.getProperty", "nnunet.success")} (a macro cannot read a
 *       command's outputs); they are reset when a command starts and set when it ends.</li>
 * </ul>
 * Canceling the command (bad input, the user's cancel) counts as failure, with the cancel reason as
 * message. Subclasses call {@link #started()} first and {@link #finished(String)} last in
 * {@code run()} and {@link #reportFailure(String)} for a result that is not a success although the
 * command ran (e.g. a data set with problems).
 */
public abstract class NnunetCommand extends ContextCommand implements ShownOutput {

    /** System property holding {@code true} or {@code false} for the last nnU-Net command. */
    public static final String SUCCESS_PROPERTY = "nnunet.success";
    /** System property holding the last nnU-Net command's message. */
    public static final String MESSAGE_PROPERTY = "nnunet.message";

    @Parameter(label = "Succeeded", type = ItemIO.OUTPUT)
    protected boolean success;

    @Parameter(label = "Message", type = ItemIO.OUTPUT)
    protected String message = "";

    private boolean failed;

    @Parameter
    private LogService logService;

    private FijiLog logger;

    /**
     * What a failure says, with the request fields and stages the core names worded as this
     * dialog's fields and Fiji's menu commands ({@link FijiWording}).
     */
    protected String describe(Throwable e) {
        return FijiWording.of(getClass()).describe(e);
    }

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
        publish();
    }

    /** Marks the start of a run: a macro reading the properties now sees no earlier command's result. */
    protected void started() {
        failed = false;
        success = false;
        message = "";
        publish();
    }

    /** Marks the end of a run: success unless a failure was reported or the command was canceled. */
    protected void finished(String summary) {
        if (!failed && !isCanceled()) {
            success = true;
            if (message == null || message.isEmpty()) {
                message = summary;
            }
        }
        publish();
    }

    /**
     * The one simple output (text, number, boolean) that Fiji shows in a window after an interactive
     * run, or null for none; {@link OutputDisplayFilter} marks the others as handled. Without it
     * Fiji would open a Name/Value table of success, message and every other output after each
     * run. Scripts still read every output. Default: the message.
     */
    @Override
    public String shownOutput() {
        return "message";
    }

    private void publish() {
        publish(success, message);
    }

    /**
     * Whether {@code command} is one of this plugin's commands: a NnunetCommand, or a
     * {@link DynamicNnunetCommand} (the same contract on the base class of commands with dynamic inputs).
     */
    static boolean isNnunetCommand(Object command) {
        return command instanceof NnunetCommand || command instanceof DynamicNnunetCommand;
    }

    /** Sets the two system properties a macro reads (also for {@link DynamicNnunetCommand}). */
    static void publish(boolean success, String message) {
        System.setProperty(SUCCESS_PROPERTY, Boolean.toString(success));
        System.setProperty(MESSAGE_PROPERTY, message == null ? "" : message);
    }
}

package io.github.nnunetfiji.fiji;

import org.scijava.app.StatusService;
import org.scijava.Cancelable;
import org.scijava.log.Logger;

import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.Progress;

/** Forwards {@link Progress} to Fiji's status bar and log, and cancellation from the command. */
final class CommandProgress implements Progress {

    private final Cancelable command;
    private final StatusService status;
    private final Logger log;

    CommandProgress(Cancelable command, StatusService status, Logger log) {
        this.command = command;
        this.status = status;
        this.log = log;
    }

    @Override
    public void status(String message) {
        if (status != null) {
            status.showStatus(message);
        }
        if (log != null) {
            log.debug(message);
        }
    }

    @Override
    public void note(String text) {
        if (log != null) {
            log.info(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
        }
    }

    /** With the request fields as the command's dialog fields. */
    @Override
    public void note(Message text) {
        note(text.render(FijiWording.of(command.getClass())));
    }

    @Override
    public void progress(long done, long total) {
        if (status != null) {
            status.showProgress((int) Math.min(done, Integer.MAX_VALUE), (int) Math.min(total, Integer.MAX_VALUE));
        }
    }

    @Override
    public boolean isCanceled() {
        return command.isCanceled();
    }
}

package io.github.nnunetfiji.util;

/**
 * Another live run holds the lock of the same work unit ({@link WorkLock}); refused before anything
 * is written. The command line exits with its own code for it, so that scripts can wait and retry.
 */
public class WorkInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public WorkInUseException(String message) {
        super(message);
    }
}

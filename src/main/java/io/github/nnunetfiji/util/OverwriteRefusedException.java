package io.github.nnunetfiji.util;

/**
 * A request whose output would replace one of its inputs ({@link OutputPaths}); refused before any
 * work, nothing written. A request that cannot run, as the other {@link IllegalArgumentException}s
 * of the stages.
 */
public class OverwriteRefusedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public OverwriteRefusedException(String message) {
        super(message);
    }
}

package io.github.nnunetfiji.util;

/** Thrown when the user cancels long work; results written so far stay valid. */
public class CanceledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CanceledException() {
        super("Canceled by the user");
    }
}

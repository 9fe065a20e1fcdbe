package io.github.nnunetfiji.inference.models;

import java.io.IOException;

/**
 * A model the installer refuses for what it holds (not a model, damaged, changed since export,
 * or made to do harm): the user's input to fix, not a failure of the machine.
 */
public class ModelRefusedException extends IOException {

    private static final long serialVersionUID = 1L;

    public ModelRefusedException(String message) {
        super(message);
    }

    public ModelRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.github.nnunetfiji.inference;

import java.io.IOException;

/** A model folder that is missing, incomplete or inconsistent; the message says what to do. */
public class ModelFolderException extends IOException {

    private static final long serialVersionUID = 1L;

    public ModelFolderException(String message) {
        super(message);
    }
}

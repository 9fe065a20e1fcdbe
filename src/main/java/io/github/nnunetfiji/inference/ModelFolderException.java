package io.github.nnunetfiji.inference;

import io.github.nnunetfiji.util.ExplainedIOException;
import io.github.nnunetfiji.util.Message;

/** A model folder that is missing, incomplete or inconsistent; the message says what to do. */
public class ModelFolderException extends ExplainedIOException {

    private static final long serialVersionUID = 1L;

    public ModelFolderException(String message) {
        super(Message.of(message));
    }

    public ModelFolderException(Message explanation) {
        super(explanation);
    }
}

package io.github.nnunetfiji.io.torch;

import java.io.IOException;

/** A file that is not a readable PyTorch checkpoint, or one refused as unsafe; the message names the file. */
public final class TorchCheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    public TorchCheckpointException(String message) {
        super(message);
    }

    public TorchCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}

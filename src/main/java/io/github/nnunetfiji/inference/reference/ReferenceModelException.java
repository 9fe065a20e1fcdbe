package io.github.nnunetfiji.inference.reference;

/** A model of the reference implementation that does not map onto the engine; the message says what. */
public final class ReferenceModelException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ReferenceModelException(String message) {
        super(message);
    }
}

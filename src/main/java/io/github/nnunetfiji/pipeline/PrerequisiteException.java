package io.github.nnunetfiji.pipeline;

/**
 * An input made by an earlier stage is missing; the message names it and says how to make it (or
 * where else to look). Nothing was written.
 */
public class PrerequisiteException extends Exception {

    private static final long serialVersionUID = 1L;

    public PrerequisiteException(String message) {
        super(message);
    }
}

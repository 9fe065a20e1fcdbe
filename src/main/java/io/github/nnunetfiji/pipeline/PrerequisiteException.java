package io.github.nnunetfiji.pipeline;

import io.github.nnunetfiji.util.Explained;
import io.github.nnunetfiji.util.Message;

/**
 * An input made by an earlier stage is missing; the message names it and says how to make it (the
 * stage to run, as a {@link Message} each surface words its own way) or where else to look.
 * Nothing was written.
 */
public class PrerequisiteException extends Exception implements Explained {

    private static final long serialVersionUID = 1L;

    private final transient Message explanation;

    public PrerequisiteException(String message) {
        this(Message.of(message));
    }

    public PrerequisiteException(Message explanation) {
        super(explanation.toString());
        this.explanation = explanation;
    }

    @Override
    public Message explanation() {
        return explanation;
    }
}

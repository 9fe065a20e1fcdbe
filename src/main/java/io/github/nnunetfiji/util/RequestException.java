package io.github.nnunetfiji.util;

/**
 * A request that cannot run as given (a missing or contradicting value, a setting that does not
 * fit what is on disk), refused before anything is written; its {@link Message} names the request
 * fields to change, for each surface to word (a flag, a dialog field).
 */
public class RequestException extends IllegalArgumentException implements Explained {

    private static final long serialVersionUID = 1L;

    private final transient Message explanation;

    public RequestException(Message explanation) {
        super(explanation.toString());
        this.explanation = explanation;
    }

    /** A message of the given pieces ({@link Message#of}). */
    public RequestException(Object... pieces) {
        this(Message.of(pieces));
    }

    @Override
    public Message explanation() {
        return explanation;
    }
}

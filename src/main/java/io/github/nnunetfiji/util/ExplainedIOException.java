package io.github.nnunetfiji.util;

import java.io.IOException;

/**
 * A file that cannot be used as it is (another layout, damaged, made from other data) with the fix
 * as a {@link Message}: which stage makes it again, which field to change.
 */
public class ExplainedIOException extends IOException implements Explained {

    private static final long serialVersionUID = 1L;

    private final transient Message explanation;

    public ExplainedIOException(Message explanation) {
        this(explanation, null);
    }

    public ExplainedIOException(Message explanation, Throwable cause) {
        super(explanation.toString(), cause);
        this.explanation = explanation;
    }

    @Override
    public Message explanation() {
        return explanation;
    }
}

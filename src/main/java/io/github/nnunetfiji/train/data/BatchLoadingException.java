package io.github.nnunetfiji.train.data;

/** A batch could not be made (a case unreadable, a worker failed); names the case where known. */
public final class BatchLoadingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BatchLoadingException(String message, Throwable cause) {
        super(message, cause);
    }
}

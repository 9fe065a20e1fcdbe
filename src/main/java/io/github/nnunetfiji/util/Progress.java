package io.github.nnunetfiji.util;

/**
 * Progress and cancellation for long work, independent of any UI. The command line prints it,
 * SciJava commands forward it to the status bar; both can cancel.
 */
public interface Progress {

    /** A short message about what is being done now. */
    void status(String message);

    /**
     * A line worth keeping, such as a decision a stage took (a result reused, or made again and
     * why) or a finished step's report; the console prints it, Fiji logs it. Ignored by default.
     */
    default void note(String text) {
    }

    /**
     * A note that names request fields or stages; a surface overrides this to word them its own way
     * (a flag, a dialog field). By default the neutral words ({@link Message#toString()}).
     */
    default void note(Message text) {
        note(text.toString());
    }

    /** {@code done} of {@code total} work units are finished. */
    void progress(long done, long total);

    /** True once the user asked to stop; long loops poll it and throw {@link CanceledException}. */
    boolean isCanceled();

    /** Throws {@link CanceledException} if canceled or the thread was interrupted. */
    default void checkCanceled() {
        if (isCanceled() || Thread.currentThread().isInterrupted()) {
            throw new CanceledException();
        }
    }

    /** Progress that reports nothing but cancels with {@code outer} (quiet work inside a step that reports). */
    static Progress cancelOnly(Progress outer) {
        return new Progress() {
            @Override
            public void status(String message) {
            }

            @Override
            public void progress(long done, long total) {
            }

            @Override
            public boolean isCanceled() {
                return outer.isCanceled();
            }
        };
    }

    /** Progress that reports nothing and never cancels. */
    Progress NONE = new Progress() {
        @Override
        public void status(String message) {
        }

        @Override
        public void progress(long done, long total) {
        }

        @Override
        public boolean isCanceled() {
            return false;
        }
    };
}

package io.github.nnunetfiji.util;

/**
 * An exception whose message names request fields and stages ({@link Message}) rather than one
 * surface's flags or menu entries; each surface renders {@link #explanation()} in its own words
 * ({@link Message#describe(Throwable, Message.Vocabulary)}), and {@code getMessage()} is the neutral
 * rendering.
 */
public interface Explained {

    /** What went wrong and what to do, in fields and stages. */
    Message explanation();
}

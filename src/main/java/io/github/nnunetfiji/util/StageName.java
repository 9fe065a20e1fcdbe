package io.github.nnunetfiji.util;

/**
 * A step of the pipeline, as a {@link Message} names it in "run this first": each surface words
 * it in its own terms (the command line as {@code 'nnunet preprocess DATASET -c 2d'}, Fiji as its
 * menu command "nnU-Net Preprocess"); {@link #words()} is the surface-neutral name.
 */
public enum StageName {
    VALIDATE("validate"),
    FINGERPRINT("fingerprint"),
    PLAN("plan"),
    PREPROCESS("preprocess"),
    PLAN_AND_PREPROCESS("plan_and_preprocess"),
    TRAIN("train"),
    PREDICT("predict"),
    POSTPROCESS_DETERMINE("postprocess determine"),
    EVALUATE("evaluate");

    private final String words;

    StageName(String words) {
        this.words = words;
    }

    /** The stage's neutral name ({@code preprocess}), as {@link io.github.nnunetfiji.util.Message#NEUTRAL} words it. */
    public String words() {
        return words;
    }

    /** Running this stage with one request value given (more with {@link Message.Run#with}). */
    public Message.Run with(RequestField field, Object value) {
        return run().with(field, value);
    }

    /** Running this stage, with no request values given. */
    public Message.Run run() {
        return new Message.Run(this, new java.util.LinkedHashMap<>());
    }
}

package io.github.nnunetfiji.util;

/**
 * A field of a request, as the core names it in a {@link Message} ("give a larger
 * {@code EPOCHS}"), never as one surface spells it: the command line renders it as its flag
 * ({@code --epochs}), a Fiji dialog as its field ("Epochs"), and the Java API as the request's
 * component ({@code epochs}), which is {@link #requestName()}.
 */
public enum RequestField {
    /** The data set folder. */
    DATASET("dataset"),
    /** The work folder that holds plans, preprocessed data and models. */
    WORK_FOLDER("work"),
    /** A planned configuration (2d, 3d_fullres ...). */
    CONFIGURATION("configuration"),
    /** A fold of the cross-validation, or the folds to predict with. */
    FOLD("fold"),
    /** Epochs of a training. */
    EPOCHS("epochs"),
    /** Training iterations per epoch. */
    ITERATIONS_PER_EPOCH("iterationsPerEpoch"),
    /** The time budget a training's schedule is fitted to. */
    TIME_LIMIT("timeLimit"),
    /** The time budget a plan is fitted to, or an automatic run's whole time. */
    BUDGET("budget"),
    /** Resume (or extend) a training. */
    CONTINUE("continueTraining"),
    /** A file of folds in the reference's splits_final.json form. */
    SPLITS_FILE("splitsFile"),
    /** The optimizer of a training. */
    OPTIMIZER("optimizer"),
    /** Elastic deformation in the augmentation. */
    ELASTIC("elastic"),
    /** Where the network runs. */
    DEVICE("device"),
    /** The number format of the network. */
    PRECISION("precision"),
    /** How often a training writes its latest checkpoint. */
    SAVE_INTERVAL("saveInterval"),
    /** The seed of the split, the weights and the batches. */
    SEED("seed"),
    /** Threads, or cases processed in parallel. */
    THREADS("threads"),
    /** A trained model folder. */
    MODEL("model"),
    /** The folder of inputs (images to predict, label maps to postprocess). */
    INPUT("input"),
    /** The folder (or file) the results go to. */
    OUTPUT("output"),
    /** A postprocessing rule file. */
    RULE_FILE("ruleFile"),
    /** How the postprocessing rule is decided. */
    METHOD("method"),
    /** The folder of predicted label maps to evaluate. */
    PREDICTIONS("predictions"),
    /** The folder of reference label maps. */
    REFERENCES("references");

    private final String requestName;

    RequestField(String requestName) {
        this.requestName = requestName;
    }

    /** The name of the field in the Java requests ({@code continueTraining}): the surface-neutral wording. */
    public String requestName() {
        return requestName;
    }

    /** This field set to a value, as a part of a {@link Message} ({@code --optimizer sgd} on the command line). */
    public Message.Part is(Object value) {
        return new Message.Field(this, String.valueOf(value));
    }
}

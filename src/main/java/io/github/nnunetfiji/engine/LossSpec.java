package io.github.nnunetfiji.engine;

import java.util.Objects;

/**
 * Soft Dice + cross-entropy, as METHOD.md section 5 defines it. Defaults follow the paper (Dice
 * over all classes); the reference's choice (background excluded) is an option.
 *
 * <p>Immutable: {@link #builder()} or {@link #toBuilder()} makes a changed copy. Read and written
 * with Gson (field names and order are the JSON's), so the fields stay plain.
 */
public final class LossSpec {

    private final boolean batchDice;
    private final boolean diceIncludesBackground;
    private final double diceSmooth;
    private final int ignoreLabel;
    private final double diceWeight;
    private final double crossEntropyWeight;

    /** The defaults; Gson starts from them, so a file without a field reads its default. */
    private LossSpec() {
        this(new Builder());
    }

    private LossSpec(Builder b) {
        this.batchDice = b.batchDice;
        this.diceIncludesBackground = b.diceIncludesBackground;
        this.diceSmooth = b.diceSmooth;
        this.ignoreLabel = b.ignoreLabel;
        this.diceWeight = b.diceWeight;
        this.crossEntropyWeight = b.crossEntropyWeight;
    }

    /** A builder holding the defaults (paper: batch Dice over all classes, weights 1:1, no ignore label). */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static LossSpec defaults() {
        return new LossSpec();
    }

    /** A builder that starts from this loss (which stays as it is). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.batchDice = batchDice;
        b.diceIncludesBackground = diceIncludesBackground;
        b.diceSmooth = diceSmooth;
        b.ignoreLabel = ignoreLabel;
        b.diceWeight = diceWeight;
        b.crossEntropyWeight = crossEntropyWeight;
        return b;
    }

    /**
     * True: the batch is one pseudo-volume and Dice is computed over all its voxels. False: Dice per
     * sample, averaged over the batch (3D nets that see almost the whole patient).
     */
    public boolean batchDice() {
        return batchDice;
    }

    /** The paper averages Dice over all K classes; the reference leaves out background. */
    public boolean diceIncludesBackground() {
        return diceIncludesBackground;
    }

    /** Added to numerator and denominator so empty classes give Dice 1 rather than 0/0. */
    public double diceSmooth() {
        return diceSmooth;
    }

    /**
     * A label value left out of the loss (the reference's {@code ignore} class: the highest label,
     * so it must equal the network's class count), or -1 for none.
     */
    public int ignoreLabel() {
        return ignoreLabel;
    }

    /** Weight of the Dice term. */
    public double diceWeight() {
        return diceWeight;
    }

    /** Weight of the cross-entropy term. */
    public double crossEntropyWeight() {
        return crossEntropyWeight;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LossSpec)) {
            return false;
        }
        LossSpec l = (LossSpec) o;
        return batchDice == l.batchDice && diceIncludesBackground == l.diceIncludesBackground
                && Double.compare(diceSmooth, l.diceSmooth) == 0 && ignoreLabel == l.ignoreLabel
                && Double.compare(diceWeight, l.diceWeight) == 0
                && Double.compare(crossEntropyWeight, l.crossEntropyWeight) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(batchDice, diceIncludesBackground, diceSmooth, ignoreLabel, diceWeight, crossEntropyWeight);
    }

    @Override
    public String toString() {
        return "Dice " + diceWeight + (batchDice ? " (batch" : " (per sample")
                + (diceIncludesBackground ? ", with background)" : ", without background)") + " + cross-entropy "
                + crossEntropyWeight + (ignoreLabel >= 0 ? ", ignoring label " + ignoreLabel : "");
    }

    /** Fills a loss; {@link #build()} hands out an immutable copy. */
    public static final class Builder {
        private boolean batchDice = true;
        private boolean diceIncludesBackground = true;
        private double diceSmooth = 1e-5;
        private int ignoreLabel = -1;
        private double diceWeight = 1;
        private double crossEntropyWeight = 1;

        private Builder() {
        }

        /** The loss as built so far (later setters do not change it). */
        public LossSpec build() {
            return new LossSpec(this);
        }

        /**
         * Sets {@link LossSpec#batchDice()}.
         *
         * @param batchDice the new value
         * @return this builder
         */
        public Builder setBatchDice(boolean batchDice) {
            this.batchDice = batchDice;
            return this;
        }

        /**
         * Sets {@link LossSpec#diceIncludesBackground()}.
         *
         * @param diceIncludesBackground the new value
         * @return this builder
         */
        public Builder setDiceIncludesBackground(boolean diceIncludesBackground) {
            this.diceIncludesBackground = diceIncludesBackground;
            return this;
        }

        /**
         * Sets {@link LossSpec#diceSmooth()}.
         *
         * @param diceSmooth the new value
         * @return this builder
         */
        public Builder setDiceSmooth(double diceSmooth) {
            this.diceSmooth = diceSmooth;
            return this;
        }

        /**
         * Sets {@link LossSpec#ignoreLabel()}.
         *
         * @param ignoreLabel the label left out of the loss, or -1 for none
         * @return this builder
         */
        public Builder setIgnoreLabel(int ignoreLabel) {
            this.ignoreLabel = ignoreLabel;
            return this;
        }

        /** The ignore label set so far (-1: none). */
        public int ignoreLabel() {
            return ignoreLabel;
        }

        /**
         * Sets {@link LossSpec#diceWeight()}.
         *
         * @param diceWeight the new value
         * @return this builder
         */
        public Builder setDiceWeight(double diceWeight) {
            this.diceWeight = diceWeight;
            return this;
        }

        /**
         * Sets {@link LossSpec#crossEntropyWeight()}.
         *
         * @param crossEntropyWeight the new value
         * @return this builder
         */
        public Builder setCrossEntropyWeight(double crossEntropyWeight) {
            this.crossEntropyWeight = crossEntropyWeight;
            return this;
        }
    }
}

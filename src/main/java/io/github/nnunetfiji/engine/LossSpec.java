package io.github.nnunetfiji.engine;

import com.google.gson.annotations.JsonAdapter;

import io.github.nnunetfiji.util.DefaultsFirst;

/**
 * Soft Dice + cross-entropy, as METHOD.md section 5 defines it. Defaults follow the paper (Dice
 * over all classes); the reference's choice (background excluded) is an option.
 *
 * <p>Immutable: each {@code with*} returns a changed copy. Read and written with Gson (component
 * names and order are the JSON's); a file without a field reads its default.
 *
 * @param batchDice              true: the batch is one pseudo-volume and Dice is computed over all
 *                               its voxels. False: Dice per sample, averaged over the batch (3D nets
 *                               that see almost the whole patient)
 * @param diceIncludesBackground the paper averages Dice over all K classes; the reference leaves out
 *                               background
 * @param diceSmooth             added to numerator and denominator so empty classes give Dice 1
 *                               rather than 0/0
 * @param ignoreLabel            a label value left out of the loss (the reference's {@code ignore}
 *                               class: the highest label, so it must equal the network's class
 *                               count), or -1 for none
 * @param diceWeight             weight of the Dice term
 * @param crossEntropyWeight     weight of the cross-entropy term
 */
@JsonAdapter(DefaultsFirst.class)
public record LossSpec(boolean batchDice, boolean diceIncludesBackground, double diceSmooth, int ignoreLabel,
        double diceWeight, double crossEntropyWeight) {

    /** The defaults (paper: batch Dice over all classes, weights 1:1, no ignore label). */
    public static LossSpec defaults() {
        return new LossSpec(true, true, 1e-5, -1, 1, 1);
    }

    public LossSpec withBatchDice(boolean v) {
        return new LossSpec(v, diceIncludesBackground, diceSmooth, ignoreLabel, diceWeight, crossEntropyWeight);
    }

    public LossSpec withDiceIncludesBackground(boolean v) {
        return new LossSpec(batchDice, v, diceSmooth, ignoreLabel, diceWeight, crossEntropyWeight);
    }

    public LossSpec withDiceSmooth(double v) {
        return new LossSpec(batchDice, diceIncludesBackground, v, ignoreLabel, diceWeight, crossEntropyWeight);
    }

    /** A copy with {@link #ignoreLabel()} set: the label left out of the loss, or -1 for none. */
    public LossSpec withIgnoreLabel(int v) {
        return new LossSpec(batchDice, diceIncludesBackground, diceSmooth, v, diceWeight, crossEntropyWeight);
    }

    public LossSpec withDiceWeight(double v) {
        return new LossSpec(batchDice, diceIncludesBackground, diceSmooth, ignoreLabel, v, crossEntropyWeight);
    }

    public LossSpec withCrossEntropyWeight(double v) {
        return new LossSpec(batchDice, diceIncludesBackground, diceSmooth, ignoreLabel, diceWeight, v);
    }

    @Override
    public String toString() {
        return "Dice " + diceWeight + (batchDice ? " (batch" : " (per sample")
                + (diceIncludesBackground ? ", with background)" : ", without background)") + " + cross-entropy "
                + crossEntropyWeight + (ignoreLabel >= 0 ? ", ignoring label " + ignoreLabel : "");
    }
}

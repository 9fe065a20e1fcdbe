package io.github.nnunetfiji.engine;

/**
 * Soft Dice + cross-entropy, as METHOD.md section 5 defines it. Defaults follow the paper (Dice
 * over all classes); the reference's choice (background excluded) is an option.
 */
public final class LossSpec {

    /**
     * True: the batch is one pseudo-volume and Dice is computed over all its voxels. False: Dice per
     * sample, averaged over the batch (3D nets that see almost the whole patient).
     */
    public boolean batchDice = true;
    /** The paper averages Dice over all K classes; the reference leaves out background. */
    public boolean diceIncludesBackground = true;
    /** Added to numerator and denominator so empty classes give Dice 1 rather than 0/0. */
    public double diceSmooth = 1e-5;
    /**
     * A label value left out of the loss (the reference's {@code ignore} class: the highest label,
     * so it must equal the network's class count), or -1 for none.
     */
    public int ignoreLabel = -1;
    public double diceWeight = 1;
    public double crossEntropyWeight = 1;
}

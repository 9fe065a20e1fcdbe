package io.github.nnunetfiji.evaluation;

/**
 * Overlap and distance of one class in one case. Dice and IoU are NaN when the class is in neither
 * the reference nor the prediction (the reference's convention: such cases are left out of the
 * means and counted separately); HD95 is NaN then, and the image diagonal in mm (the largest
 * distance possible) when exactly one of them is empty.
 */
public record ClassMetrics(int label, double dice, double iou, double hd95, long truePositives, long falsePositives,
        long falseNegatives, long referenceVoxels, long predictionVoxels) {

    /** Neither the reference nor the prediction holds the class. */
    public boolean bothEmpty() {
        return referenceVoxels == 0 && predictionVoxels == 0;
    }
}

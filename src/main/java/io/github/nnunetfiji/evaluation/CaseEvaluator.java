package io.github.nnunetfiji.evaluation;

import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.LabelImage;

/** Dice, IoU and HD95 of every requested class of one predicted label map against its reference. */
public final class CaseEvaluator {

    private CaseEvaluator() {
    }

    /**
     * @param labels the class values to evaluate (each counted as its own mask)
     * @throws IllegalArgumentException if the shapes or the spacings differ (then the prediction is
     *                                  of another image, or was resampled, and distances in mm would
     *                                  be wrong)
     */
    public static List<ClassMetrics> evaluate(LabelImage prediction, LabelImage reference, int[] labels) {
        if (!java.util.Arrays.equals(prediction.shape(), reference.shape())) {
            throw new IllegalArgumentException("The prediction's shape " + AxisOrder.format(prediction.shape())
                    + " differs from the reference's " + AxisOrder.format(reference.shape()));
        }
        if (prediction.geometry().spacingDifference(reference.geometry()) > Geometry.SPACING_TOLERANCE) {
            throw new IllegalArgumentException("The prediction's spacing "
                    + java.util.Arrays.toString(prediction.geometry().spacing()) + " differs from the reference's "
                    + java.util.Arrays.toString(reference.geometry().spacing())
                    + "; it is not a prediction of this image's grid: predict the case again from its image");
        }
        int[] pred = FlatArrays.toInts(prediction.labels());
        int[] ref = FlatArrays.toInts(reference.labels());
        long[] s = reference.shape();
        return evaluate(pred, ref, new int[] {(int) s[0], (int) s[1], (int) s[2]}, reference.geometry().spacing(),
                labels);
    }

    /** As above on flat arrays (x fastest) with the reference's spacing. */
    public static List<ClassMetrics> evaluate(int[] pred, int[] ref, int[] shape, double[] spacing, int[] labels) {
        List<ClassMetrics> out = new ArrayList<>(labels.length);
        double diagonal = Math.sqrt(sq(shape[0] * spacing[0]) + sq(shape[1] * spacing[1]) + sq(shape[2] * spacing[2]));
        boolean[] a = new boolean[pred.length];
        boolean[] b = new boolean[pred.length];
        for (int label : labels) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            for (int i = 0; i < pred.length; i++) {
                boolean p = pred[i] == label;
                boolean r = ref[i] == label;
                a[i] = p;
                b[i] = r;
                if (p && r) {
                    tp++;
                } else if (p) {
                    fp++;
                } else if (r) {
                    fn++;
                }
            }
            double dice = tp + fp + fn == 0 ? Double.NaN : 2.0 * tp / (2.0 * tp + fp + fn);
            double iou = tp + fp + fn == 0 ? Double.NaN : (double) tp / (tp + fp + fn);
            double hd95 = SurfaceDistances.hd95(a, b, shape, spacing);
            if (hd95 == Double.POSITIVE_INFINITY) {
                hd95 = diagonal;
            }
            out.add(new ClassMetrics(label, dice, iou, hd95, tp, fp, fn, tp + fn, tp + fp));
        }
        return out;
    }

    private static double sq(double v) {
        return v * v;
    }
}

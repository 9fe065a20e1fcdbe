package io.github.nnunetfiji.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * A human-readable table of plans: one column per configuration, one row per decision, then the
 * planner's notes. Per-axis values are written {@code XxYxZ} ({@link AxisOrder}), e.g. a patch
 * {@code 160x192x1} is 160 voxels along x, 192 along y and 1 along z.
 */
public final class PlansSummary {

    private PlansSummary() {
    }

    /**
     * Formats the plans as a text table.
     *
     * @param plans the plans
     * @return the table, lines ending in a newline
     */
    /** Row label of the median shape, which is not the shape {@code validate} reports. */
    static final String MEDIAN_ROW = "median shape (cropped)";

    public static String format(Plans plans) {
        List<PlanConfiguration> configs = new ArrayList<>(plans.configurations().values());
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (PlanConfiguration c : configs) {
            add(rows, "spacing", AxisOrder.format(c.spacing()));
            add(rows, MEDIAN_ROW, AxisOrder.format(c.medianShape()));
            add(rows, "patch", AxisOrder.format(c.patchSize()));
            add(rows, "batch", Integer.toString(c.batchSize()));
            int[] p = c.poolingsPerAxis();
            add(rows, "poolings", p[0] + "x" + p[1] + "x" + p[2]);
            add(rows, "stages", Integer.toString(c.stages()));
            add(rows, "features", join(c.featuresPerStage()));
            add(rows, "kernels", kernels(c.kernelSizes()));
            add(rows, "normalization", normalization(c));
            add(rows, "resampling", "image " + c.imageResamplingOrder() + ", label " + c.labelResamplingOrder()
                    + (c.anisotropicAxis() != null ? ", " + AxisOrder.name(c.anisotropicAxis()) + " separately ("
                            + c.outOfPlaneResamplingOrder() + ")" : ""));
            add(rows, "augmentation", c.is2D() ? "2D" : c.augmentation2D()
                    ? "2D, slices across " + AxisOrder.name(c.augmentationSliceAxis()) : "3D");
            add(rows, "Dice", c.batchDice() ? "batch" : "per sample");
            add(rows, "epochs", c.numEpochs() + " x " + c.iterationsPerEpoch() + " steps");
            add(rows, "cascade", c.nextStage() != null ? "-> " + c.nextStage()
                    : c.previousStage() != null ? "<- " + c.previousStage() : "-");
        }
        int labelWidth = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
        int[] widths = new int[configs.size()];
        for (int i = 0; i < configs.size(); i++) {
            widths[i] = configs.get(i).name().length();
            for (List<String> r : rows.values()) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Plans for ").append(plans.datasetName()).append(" (planner ").append(plans.planner())
                .append("; shapes and spacings per axis, written XxYxZ)\n");
        StringBuilder header = new StringBuilder(pad("", labelWidth));
        for (int i = 0; i < configs.size(); i++) {
            header.append(" | ").append(pad(configs.get(i).name(), widths[i]));
        }
        sb.append(header).append('\n');
        char[] rule = new char[header.length()];
        Arrays.fill(rule, '-');
        sb.append(rule).append('\n');
        for (Map.Entry<String, List<String>> r : rows.entrySet()) {
            sb.append(pad(r.getKey(), labelWidth));
            for (int i = 0; i < configs.size(); i++) {
                sb.append(" | ").append(pad(r.getValue().get(i), widths[i]));
            }
            sb.append('\n');
        }
        sb.append(MEDIAN_ROW).append(": median of the cases cropped to their nonzero region and resampled to the ")
                .append("configuration's spacing, rounded; 'validate' reports the median of the stored images.\n");
        if (!plans.notes().isEmpty()) {
            sb.append("Notes:\n");
            for (String note : plans.notes()) {
                sb.append("  - ").append(note).append('\n');
            }
        }
        return sb.toString();
    }

    private static void add(Map<String, List<String>> rows, String key, String value) {
        rows.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String join(int[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? " " : "").append(v[i]);
        }
        return sb.toString();
    }

    /** Consecutive equal kernels grouped: {@code 3x3x1 (2), 3x3x3 (4)}. */
    private static String kernels(int[][] k) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < k.length) {
            int j = i;
            while (j < k.length && Arrays.equals(k[j], k[i])) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(k[i][0]).append('x').append(k[i][1]).append('x').append(k[i][2]).append(" (").append(j - i)
                    .append(')');
            i = j;
        }
        return sb.toString();
    }

    private static String normalization(PlanConfiguration c) {
        StringBuilder sb = new StringBuilder();
        for (ChannelNormalization n : c.normalization()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(n.scheme()).append(n.useNonzeroMask() ? " (mask)" : "");
        }
        return sb.toString();
    }
}

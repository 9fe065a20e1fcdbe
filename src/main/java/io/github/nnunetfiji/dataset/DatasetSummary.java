package io.github.nnunetfiji.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * What a valid data set looks like, for people: written by {@code validate} as
 * {@code dataset_summary.json} and printed as text. Per-axis arrays follow {@link AxisOrder}.
 *
 * @param name             data set name from dataset.json
 * @param folder           the data set folder
 * @param cases            number of training cases
 * @param channelNames     channel names in channel order
 * @param pixelTypes       pixel type names seen in the images
 * @param shapeMin         smallest shape per axis
 * @param shapeMedian      median shape per axis
 * @param shapeMax         largest shape per axis
 * @param spacingMin       smallest spacing per axis
 * @param spacingMedian    median spacing per axis
 * @param spacingMax       largest spacing per axis
 * @param labels           label value to name
 * @param casesWithLabel   per label value, the number of cases that contain it
 * @param testCases        number of test cases (imagesTs)
 * @param warnings         warnings, one line each (file, what, fix)
 */
public record DatasetSummary(String name, String folder, int cases, List<String> channelNames, List<String> pixelTypes,
        long[] shapeMin, double[] shapeMedian, long[] shapeMax, double[] spacingMin, double[] spacingMedian,
        double[] spacingMax, SortedMap<Integer, String> labels, Map<Integer, Integer> casesWithLabel, int testCases,
        List<String> warnings) {

    /** A multi-line, human-readable summary. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("Data set ").append(name).append(" (").append(folder).append(")\n");
        sb.append(String.format(Locale.ROOT, "  cases:    %d training, %d test%n", cases, testCases));
        List<String> ch = new ArrayList<>();
        for (int c = 0; c < channelNames.size(); c++) {
            ch.add(c + "=" + channelNames.get(c));
        }
        sb.append("  channels: ").append(String.join(", ", ch)).append("  (pixel type ").append(String.join(", ", pixelTypes))
                .append(")\n");
        sb.append("  shape x,y,z:   min ").append(AxisOrder.format(shapeMin)).append("  median ")
                .append(AxisOrder.format(shapeMedian)).append("  max ").append(AxisOrder.format(shapeMax)).append('\n');
        sb.append("  spacing x,y,z: min ").append(AxisOrder.format(spacingMin)).append("  median ")
                .append(AxisOrder.format(spacingMedian)).append("  max ").append(AxisOrder.format(spacingMax)).append('\n');
        sb.append("  labels:\n");
        for (Map.Entry<Integer, String> e : labels.entrySet()) {
            sb.append(String.format(Locale.ROOT, "    %3d %-24s in %d of %d cases%n", e.getKey(), e.getValue(),
                    casesWithLabel.getOrDefault(e.getKey(), 0), cases));
        }
        // As the reference, a declared class no case contains is accepted (a training set may lack a
        // rare class), but the network will never learn it, so say so.
        for (Map.Entry<Integer, String> e : labels.entrySet()) {
            if (e.getKey() != 0 && casesWithLabel.getOrDefault(e.getKey(), 0) == 0) {
                sb.append(String.format(Locale.ROOT, "  warning: class %d (%s) is in no training case; the network "
                        + "cannot learn it. Label it in some cases, or remove it from dataset.json.%n", e.getKey(),
                        e.getValue()));
            }
        }
        if (warnings != null && !warnings.isEmpty()) {
            sb.append("  warnings:\n");
            for (String w : warnings) {
                sb.append("    - ").append(w.replace("\n", "\n      ")).append('\n');
            }
        }
        return sb.toString();
    }
}

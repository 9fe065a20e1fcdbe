package io.github.nnunetfiji.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the reference implementation planned for a shared data set, read from its printout in
 * {@code shared/data/reference-plans/}. The reference prints arrays in its z, y, x order (2D
 * configurations: y, x); every accessor here returns them reversed, in this project's x, y, z
 * order, so they compare directly with {@link PlanConfiguration}'s arrays.
 */
final class ReferencePlanFile {

    private static final Pattern CONFIG_HEADER = Pattern.compile("^\\[(\\w+)\\] network=\\S+ n_stages=(\\d+)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
    private static final Pattern INNER_LIST = Pattern.compile("\\[([^\\[\\]]*)\\]");
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    /** One configuration's printed fields, by key. */
    static final class Configuration {
        final String name;
        final int stages;
        final Map<String, String> fields = new LinkedHashMap<>();

        Configuration(String name, int stages) {
            this.name = name;
            this.stages = stages;
        }

        String field(String key) {
            String v = fields.get(key);
            if (v == null) {
                throw new IllegalStateException("reference plan of " + name + " has no '" + key + "': " + fields.keySet());
            }
            return v;
        }

        double[] spacing() {
            return reversed(numbers(field("spacing")));
        }

        double[] medianShape() {
            return reversed(numbers(field("median_image_size_in_voxels")));
        }

        long[] patch() {
            return toLongs(reversed(numbers(field("patch_size"))));
        }

        int batch() {
            return Integer.parseInt(field("batch_size").trim());
        }

        boolean batchDice() {
            return Boolean.parseBoolean(field("batch_dice").trim().toLowerCase());
        }

        int[] poolings() {
            return toInts(reversed(numbers(field("poolings per axis"))));
        }

        int[][] strides() {
            return nested(field("strides"));
        }

        int[][] kernels() {
            return nested(field("kernel_sizes"));
        }

        int[] features() {
            return toInts(numbers(field("features_per_stage")));
        }

        int[] convolutionsPerStage() {
            return toInts(numbers(field("n_conv_per_stage")));
        }

        List<String> normalizationSchemes() {
            return quoted(field("normalization_schemes"));
        }

        List<Boolean> useMaskForNorm() {
            List<Boolean> out = new ArrayList<>();
            for (String s : field("use_mask_for_norm").replaceAll("[\\[\\] ]", "").split(",")) {
                out.add(Boolean.parseBoolean(s.toLowerCase()));
            }
            return out;
        }

        int dataOrder() {
            return dictInt(field("resampling data kwargs"), "order");
        }

        int dataOrderZ() {
            return dictInt(field("resampling data kwargs"), "order_z");
        }

        int segOrder() {
            return dictInt(field("seg kwargs"), "order");
        }
    }

    final String text;
    final Map<String, String> global = new LinkedHashMap<>();
    final Map<String, Configuration> configurations = new LinkedHashMap<>();

    private ReferencePlanFile(String text) {
        this.text = text;
        Configuration current = null;
        for (String line : text.split("\n")) {
            Matcher h = CONFIG_HEADER.matcher(line);
            if (h.find()) {
                current = new Configuration(h.group(1), Integer.parseInt(h.group(2)));
                configurations.put(current.name, current);
                continue;
            }
            boolean indented = line.startsWith("  ");
            if (!indented) {
                current = null;
            }
            for (String segment : line.trim().split(" \\| ")) {
                int colon = segment.indexOf(": ");
                if (colon > 0) {
                    (current != null ? current.fields : global).put(segment.substring(0, colon).trim(),
                            segment.substring(colon + 2).trim());
                }
            }
        }
    }

    static ReferencePlanFile read(Path file) throws IOException {
        return new ReferencePlanFile(Files.readString(file));
    }

    /** Configuration names as the reference lists them. */
    List<String> configurationNames() {
        return quoted(global.get("configurations"));
    }

    boolean cascade() {
        return Boolean.parseBoolean(global.get("cascade (3d_lowres + 3d_cascade_fullres)").toLowerCase());
    }

    double[] medianSpacing() {
        return reversed(numbers(global.get("original_median_spacing_after_transp")));
    }

    double[] medianShapeAfterCrop() {
        return reversed(numbers(global.get("original_median_shape_after_transp")));
    }

    double medianRelativeSizeAfterCrop() {
        Matcher m = Pattern.compile("median_relative_size_after_cropping[ =]([0-9.]+)").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no median_relative_size_after_cropping in the reference plan");
        }
        return Double.parseDouble(m.group(1));
    }

    /** Every case's shape after crop, x, y, z, in the reference's case order; empty if not printed. */
    List<long[]> shapesAfterCrop() {
        List<long[]> out = new ArrayList<>();
        Matcher line = Pattern.compile("shapes_after_crop (\\[.*\\])").matcher(text);
        if (line.find()) {
            for (int[] s : nested(line.group(1))) {
                out.add(new long[] {s[0], s[1], s[2]});
            }
        }
        return out;
    }

    Configuration configuration(String name) {
        Configuration c = configurations.get(name);
        if (c == null) {
            throw new IllegalStateException("no configuration " + name + " in the reference plan");
        }
        return c;
    }

    // ---- small parsers of the printed Python values ----

    static double[] numbers(String s) {
        List<Double> v = new ArrayList<>();
        Matcher m = NUMBER.matcher(s);
        while (m.find()) {
            v.add(Double.parseDouble(m.group()));
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A list of lists, each inner list reversed into x, y, z order. */
    static int[][] nested(String s) {
        List<int[]> out = new ArrayList<>();
        Matcher m = INNER_LIST.matcher(s);
        while (m.find()) {
            out.add(toInts(reversed(numbers(m.group(1)))));
        }
        return out.toArray(new int[0][]);
    }

    static List<String> quoted(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = QUOTED.matcher(s);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static int dictInt(String dict, String key) {
        Matcher m = Pattern.compile("'" + key + "': (\\d+)").matcher(dict);
        if (!m.find()) {
            throw new IllegalStateException("no '" + key + "' in " + dict);
        }
        return Integer.parseInt(m.group(1));
    }

    static double[] reversed(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[v.length - 1 - i];
        }
        return r;
    }

    static int[] toInts(double[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (int) Math.round(v[i]);
        }
        return r;
    }

    static long[] toLongs(double[] v) {
        long[] r = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.round(v[i]);
        }
        return r;
    }
}

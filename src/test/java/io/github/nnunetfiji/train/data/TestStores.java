package io.github.nnunetfiji.train.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.JsonObject;

import io.github.nnunetfiji.plan.ChannelNormalization;
import io.github.nnunetfiji.plan.NetworkTopology;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.CaseHeader;
import io.github.nnunetfiji.preprocess.ClassLocations;
import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.util.Json;

/** Hand-made plans and preprocessed stores whose content is known voxel by voxel. */
final class TestStores {

    private TestStores() {
    }

    /**
     * Plans with one configuration named {@code name}.
     *
     * @param sliceAxis 2D: the slice axis (patch 1 there); null for 3D
     * @param augAxis   3D slice-wise augmentation across this axis, or null
     */
    static Plans plans(String name, long[] patch, Integer sliceAxis, Integer augAxis, int batch, int channels,
            int classes, boolean mask) {
        List<String> names = new ArrayList<>();
        List<ChannelNormalization> norms = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            names.add("ch" + c);
            norms.add(new ChannelNormalization(c, "ch" + c, ChannelNormalization.ZSCORE, mask && c == 0));
        }
        TreeMap<Integer, String> labels = new TreeMap<>();
        for (int l = 0; l < classes; l++) {
            labels.put(l, l == 0 ? "background" : "class" + l);
        }
        Plans p = new Plans("Test", "paper", names, labels, new double[] {1, 1, 1}, new double[] {32, 32, 32}, List.of());
        PlanConfiguration.Builder c = PlanConfiguration.builder(name);
        c.dataIdentifier(name);
        c.dimensions(sliceAxis == null ? 3 : 2);
        c.sliceAxis(sliceAxis);
        c.spacing(new double[] {1, 1, 1});
        c.medianShape(new long[] {32, 32, 32});
        c.patchSize(patch);
        c.batchSize(batch);
        int[] k = new int[3];
        int[] s1 = new int[3];
        int[] pool = new int[3];
        for (int d = 0; d < 3; d++) {
            boolean in = sliceAxis == null || d != sliceAxis;
            k[d] = in ? 3 : 1;
            s1[d] = in ? 2 : 1;
            pool[d] = in ? 1 : 0;
        }
        c.topology(new NetworkTopology(pool, new int[][] {{1, 1, 1}, s1}, new int[][] {k, k}));
        c.features(4, 8, new int[] {4, 8});
        c.convolutionsPerStage(2);
        c.normalization(norms);
        c.resampling(3, 0, 0, 3);
        c.augmentation(sliceAxis != null || augAxis != null, sliceAxis != null ? sliceAxis : augAxis);
        c.batchDice(true);
        c.numEpochs(10);
        c.iterationsPerEpoch(5);
        return p.withConfiguration(c.build());
    }

    /** Writes one case; class locations are sampled from the labels as preprocessing does. */
    static void writeCase(Path dir, String id, int[] shape, float[][] image, byte[] labels) throws IOException {
        Map<Integer, int[]> locations = ClassLocations.sample(labels, 1234);
        JsonObject o = new JsonObject();
        o.addProperty("format", CaseHeader.FORMAT);
        o.addProperty("version", CaseHeader.VERSION);
        o.addProperty("id", id);
        o.addProperty("planSignature", "test");
        o.add("shape", Json.gson().toJsonTree(shape));
        o.addProperty("channels", image.length);
        o.add("spacing", Json.gson().toJsonTree(new double[] {1, 1, 1}));
        o.addProperty("hasLabels", true);
        o.add("originalShape", Json.gson().toJsonTree(new long[] {shape[0], shape[1], shape[2]}));
        o.add("originalSpacing", Json.gson().toJsonTree(new double[] {1, 1, 1}));
        o.add("originalAffine", Json.gson().toJsonTree(new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0},
            {0, 0, 0, 1}}));
        o.add("cropMin", Json.gson().toJsonTree(new long[3]));
        o.add("cropMaxExclusive", Json.gson().toJsonTree(new long[] {shape[0], shape[1], shape[2]}));
        o.add("classLocations", Json.gson().toJsonTree(new TreeMap<>(locations)));
        CaseHeader h = Json.gson().fromJson(o, CaseHeader.class);
        PreprocessedCase.write(dir, h, image, labels);
    }

    /** Image value that encodes the voxel position: channel c at (x, y, z). */
    static float code(int c, int x, int y, int z) {
        return c * 1_000_000 + x + 100 * y + 10_000 * z + 1;
    }

    /** A case whose image values are {@link #code} and whose labels are given. */
    static void writeCodedCase(Path dir, String id, int[] shape, int channels, byte[] labels) throws IOException {
        int n = shape[0] * shape[1] * shape[2];
        float[][] img = new float[channels][n];
        for (int c = 0; c < channels; c++) {
            for (int z = 0; z < shape[2]; z++) {
                for (int y = 0; y < shape[1]; y++) {
                    for (int x = 0; x < shape[0]; x++) {
                        img[c][x + shape[0] * (y + shape[1] * z)] = code(c, x, y, z);
                    }
                }
            }
        }
        writeCase(dir, id, shape, img, labels);
    }

    /** Labels with a small cube of {@code label} at {@code at} (edge {@code edge}), background elsewhere. */
    static byte[] cubeLabels(int[] shape, int[] at, int edge, int label) {
        byte[] l = new byte[shape[0] * shape[1] * shape[2]];
        addCube(l, shape, at, edge, label);
        return l;
    }

    static void addCube(byte[] l, int[] shape, int[] at, int edge, int label) {
        for (int z = at[2]; z < at[2] + edge; z++) {
            for (int y = at[1]; y < at[1] + edge; y++) {
                for (int x = at[0]; x < at[0] + edge; x++) {
                    l[x + shape[0] * (y + shape[1] * z)] = (byte) label;
                }
            }
        }
    }
}

package io.github.nnunetfiji.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.evaluation.Evaluation;
import io.github.nnunetfiji.fingerprint.CaseFingerprint;
import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;
import io.github.nnunetfiji.fingerprint.ClassComponents;
import io.github.nnunetfiji.fingerprint.ConnectedComponents;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.io.CaseFiles;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.img.array.ArrayImgs;

/** Largest-component postprocessing, its two decision rules, and its file form. */
class PostprocessingTest {

    @TempDir
    Path dir;

    private static final long[] SHAPE = {12, 10, 6};

    private static int at(int x, int y, int z) {
        return x + 12 * (y + 10 * z);
    }

    private static void box(int[] v, int label, int x0, int y0, int z0, int x1, int y1, int z1) {
        for (int z = z0; z < z1; z++) {
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    v[at(x, y, z)] = label;
                }
            }
        }
    }

    @Test
    void keepsTheLargestComponentOfAClass() {
        int[] v = new int[12 * 10 * 6];
        box(v, 1, 0, 0, 0, 3, 3, 3); // 27 voxels
        box(v, 1, 6, 6, 3, 8, 8, 5); // 8 voxels
        box(v, 2, 10, 0, 0, 12, 2, 1); // class 2, two pieces
        v[at(0, 9, 5)] = 2;
        v[at(3, 3, 3)] = 1; // touches the big block's corner (2,2,2): joined with full connectivity
        int[] copy = v.clone();
        assertEquals(8, LargestComponent.keep(v, SHAPE, new int[] {1}, ConnectedComponents.FULL_CONNECTIVITY));
        assertEquals(1, v[at(3, 3, 3)]);
        assertEquals(0, v[at(6, 6, 3)]);
        assertEquals(2, v[at(0, 9, 5)], "other classes untouched");
        assertEquals(9, LargestComponent.keep(copy, SHAPE, new int[] {1}, 6), "with faces only the corner voxel goes too");
        // Random volumes: what is kept is exactly one component of the largest size.
        Random r = new Random(9);
        for (int trial = 0; trial < 10; trial++) {
            int[] w = new int[v.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = r.nextDouble() < 0.3 ? 1 + r.nextInt(2) : 0;
            }
            long largest = ConnectedComponents.of(w, SHAPE, 26).get(0).sizes()[0];
            LargestComponent.keep(w, SHAPE, new int[] {1}, 26);
            ClassComponents after = ConnectedComponents.of(w, SHAPE, 26).get(0);
            assertEquals(1, after.count());
            assertEquals(largest, after.sizes()[0]);
        }
    }

    @Test
    void paperRuleComesFromTheFingerprint() {
        List<CaseFingerprint> cases = new ArrayList<>();
        // Class 1 single everywhere; class 2 split once; class 3 missing from one case.
        cases.add(fp("a", new ClassComponents(1, new long[] {40}), new ClassComponents(2, new long[] {5}),
                new ClassComponents(3, new long[] {7})));
        cases.add(fp("b", new ClassComponents(1, new long[] {30}), new ClassComponents(2, new long[] {5, 2})));
        TreeMap<Integer, String> labels = new TreeMap<>();
        for (int i = 0; i < 4; i++) {
            labels.put(i, "c" + i);
        }
        DatasetFingerprint fp = new DatasetFingerprint("T", List.of("ch"), labels, cases,
                List.of(ChannelIntensityStatistics.ofSample(0, "ch", new float[] {1, 2}, 2)), 1, 10);
        PostprocessingRule rule = PostprocessingDecision.fromFingerprint(fp, new int[] {1, 2, 3});
        assertArrayEquals(new int[] {1}, rule.largestComponentClasses());
        assertFalse(rule.largestForegroundComponent());
        assertEquals(PostprocessingRule.PAPER, rule.method());
    }

    private static CaseFingerprint fp(String id, ClassComponents... cc) {
        return new CaseFingerprint(id, new long[] {10, 10, 10}, new double[] {1, 1, 1}, new long[3],
                new long[] {10, 10, 10}, new int[] {0, 1}, List.of(cc), 100);
    }

    @Test
    void crossValidationRuleKeepsWhatHelps() throws IOException {
        // Class 1: the prediction adds a small false blob (removing it helps). Class 2: the reference
        // itself has two pieces, both predicted (removing one hurts).
        List<CaseFiles.Pair> pairs = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            int[] ref = new int[12 * 10 * 6];
            box(ref, 1, 0, 0, 0, 4, 4, 3);
            box(ref, 2, 8, 0, 0, 12, 3, 2);
            box(ref, 2, 8, 7, 3, 12, 10, 6);
            int[] pred = ref.clone();
            box(pred, 1, 0, 8, 4, 2, 10, 6);
            pairs.add(new CaseFiles.Pair("case" + c, write("pred", "case" + c, pred), write("ref", "case" + c, ref)));
        }
        PostprocessingRule rule = PostprocessingDecision.crossValidation(pairs, new int[] {1, 2}, 26, 2, Progress.NONE);
        assertArrayEquals(new int[] {1}, rule.largestComponentClasses(), String.join("\n", rule.notes()));
        assertFalse(rule.largestForegroundComponent(), "all foreground as one would drop class 2's second piece");
        // The rule survives its file, and applying it to the folder fixes class 1.
        Path file = dir.resolve("postprocessing.json");
        rule.write(file);
        PostprocessingRule back = PostprocessingRule.read(file);
        assertArrayEquals(rule.largestComponentClasses(), back.largestComponentClasses());
        assertEquals(rule.notes(), back.notes());
        List<Postprocessor.FileResult> results = Postprocessor.applyToFolder(dir.resolve("pred"), dir.resolve("pp"), back,
                new int[] {1, 2}, Progress.NONE);
        assertEquals(3, results.size());
        assertEquals(8, results.get(0).removedVoxels());
        Evaluation.Summary s = Evaluation.run(Evaluation.pairFolders(dir.resolve("pp"), dir.resolve("ref")), null, 1,
                Progress.NONE);
        assertEquals(1.0, s.foregroundDice(), 1e-12);
    }

    private Path write(String folder, String id, int[] v) throws IOException {
        Files.createDirectories(dir.resolve(folder));
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        Path p = dir.resolve(folder).resolve(id + ".nii.gz");
        ImageIO.write(Image.of(ArrayImgs.unsignedBytes(b, SHAPE), Geometry.ofSpacing(1, 1, 2)), p);
        return p;
    }

    @Test
    void labelImagesKeepTheirGeometry() {
        int[] v = new int[12 * 10 * 6];
        box(v, 1, 0, 0, 0, 2, 2, 2);
        v[at(11, 9, 5)] = 1;
        Geometry g = Geometry.ofSpacing(0.5, 0.7, 3);
        LabelImage in = new LabelImage(ArrayImgs.ints(v.clone(), SHAPE), g);
        LabelImage out = Postprocessor.apply(in, new PostprocessingRule(PostprocessingRule.PAPER, false, new int[] {1}),
                new int[] {1});
        assertEquals(g, out.geometry());
        assertEquals(0, FlatArrays.toInts(out.labels())[at(11, 9, 5)]);
        assertTrue(PostprocessingRule.none().describe().startsWith("none"));
    }

    @Test
    void aRuleWithClassesThatDoNotExistIsRefused() throws IOException {
        Path file = dir.resolve("postprocessing.json");
        new PostprocessingRule(PostprocessingRule.CROSS_VALIDATION, false, new int[] {3}).write(file);
        PostprocessingRule rule = PostprocessingRule.read(file);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> rule.checkClasses(PostprocessingRule.foregroundClasses(3), file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("class 3")
                && e.getMessage().contains("[1, 2]"), e.getMessage());
        assertEquals(rule, rule.checkClasses(PostprocessingRule.foregroundClasses(4), file));

        Files.writeString(file, Files.readString(file).replace("3", "-3"));
        IOException bad = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> PostprocessingRule.read(file));
        assertTrue(bad.getMessage().contains("class -3 is no foreground class"), bad.getMessage());
    }
}

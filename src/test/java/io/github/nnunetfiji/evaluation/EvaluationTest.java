package io.github.nnunetfiji.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.img.array.ArrayImgs;

/** Dice, IoU and HD95 on hand-made cases with known answers. */
class EvaluationTest {

    @TempDir
    Path dir;

    private static int at(int x, int y, int z, int[] s) {
        return x + s[0] * (y + s[1] * z);
    }

    @Test
    void diceAndIouOfBlocks() {
        int[] s = {6, 5, 2};
        int[] pred = new int[60];
        int[] ref = new int[60];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                pred[at(x, y, 0, s)] = 1;
            }
        }
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 2; x++) {
                ref[at(x, y, 0, s)] = 1;
            }
        }
        ref[at(5, 4, 1, s)] = 2;
        ClassMetrics m = CaseEvaluator.evaluate(pred, ref, s, new double[] {1, 1, 1}, new int[] {1, 2, 3}).get(0);
        assertEquals(0.8, m.dice(), 1e-12); // 2*4 / (4 + 6)
        assertEquals(4.0 / 6, m.iou(), 1e-12);
        assertEquals(4, m.truePositives());
        assertEquals(2, m.falseNegatives());
        assertEquals(0, m.falsePositives());
        // Surfaces: every voxel of these thin blocks; from the ref row y=2 to the pred's y=1 is 1 voxel.
        assertEquals(1.0, m.hd95(), 1e-12);
        List<ClassMetrics> all = CaseEvaluator.evaluate(pred, ref, s, new double[] {1, 1, 1}, new int[] {1, 2, 3});
        ClassMetrics missed = all.get(1);
        assertEquals(0, missed.dice());
        assertEquals(Math.sqrt(36 + 25 + 4), missed.hd95(), 1e-12, "one empty: the image diagonal");
        ClassMetrics none = all.get(2);
        assertTrue(Double.isNaN(none.dice()) && Double.isNaN(none.iou()) && Double.isNaN(none.hd95()));
        assertTrue(none.bothEmpty());
    }

    @Test
    void hd95InMillimetres() {
        // Two voxels 3 apart along x with 2 mm spacing: 6 mm both ways.
        int[] s = {5, 3, 3};
        int[] pred = new int[45];
        int[] ref = new int[45];
        ref[at(0, 1, 1, s)] = 1;
        pred[at(3, 1, 1, s)] = 1;
        assertEquals(6.0, CaseEvaluator.evaluate(pred, ref, s, new double[] {2, 1, 1}, new int[] {1}).get(0).hd95(), 1e-12);
        // 2D: parallel lines 4 rows apart at 0.5 mm: every distance is 2 mm.
        int[] s2 = {20, 10, 1};
        int[] p2 = new int[200];
        int[] r2 = new int[200];
        for (int x = 3; x < 13; x++) {
            r2[at(x, 0, 0, s2)] = 1;
            p2[at(x, 4, 0, s2)] = 1;
        }
        assertEquals(2.0, CaseEvaluator.evaluate(p2, r2, s2, new double[] {1, 0.5, 7}, new int[] {1}).get(0).hd95(), 1e-12);
        // Pooled distances {0, 0, 10}: numpy's 95th percentile is 9.
        int[] p3 = new int[45 * 3];
        int[] r3 = new int[45 * 3];
        int[] s3 = {15, 3, 3};
        r3[at(0, 1, 1, s3)] = 1;
        p3[at(0, 1, 1, s3)] = 1;
        p3[at(10, 1, 1, s3)] = 1;
        assertEquals(9.0, CaseEvaluator.evaluate(p3, r3, s3, new double[] {1, 1, 1}, new int[] {1}).get(0).hd95(), 1e-12);
    }

    @Test
    void distanceTransformMatchesBruteForce() {
        Random r = new Random(5);
        for (int trial = 0; trial < 10; trial++) {
            int[] s = {2 + r.nextInt(9), 2 + r.nextInt(9), 1 + r.nextInt(6)};
            double[] sp = {0.5 + r.nextDouble() * 2, 0.5 + r.nextDouble() * 2, 0.5 + r.nextDouble() * 4};
            int n = s[0] * s[1] * s[2];
            boolean[] f = new boolean[n];
            for (int i = 0; i < n; i++) {
                f[i] = r.nextDouble() < 0.1;
            }
            f[r.nextInt(n)] = true;
            double[] d = SurfaceDistances.squaredDistanceTransform(f, s, sp);
            for (int i = 0; i < n; i++) {
                double best = Double.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    if (f[j]) {
                        double dx = (i % s[0] - j % s[0]) * sp[0];
                        double dy = ((i / s[0]) % s[1] - (j / s[0]) % s[1]) * sp[1];
                        double dz = (i / (s[0] * s[1]) - j / (s[0] * s[1])) * sp[2];
                        best = Math.min(best, dx * dx + dy * dy + dz * dz);
                    }
                }
                assertEquals(best, d[i], 1e-9);
            }
        }
    }

    private Path write(Path folder, String name, int[] values, int[] s, double[] spacing) throws IOException {
        Files.createDirectories(folder);
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        Path p = folder.resolve(name + ".nii.gz");
        ImageIO.write(Image.of(ArrayImgs.unsignedBytes(b, s[0], s[1], s[2]), Geometry.ofSpacing(spacing)), p);
        return p;
    }

    @Test
    void foldersAreEvaluatedWithMeansAndNoNaNInJson() throws IOException {
        int[] s = {6, 5, 2};
        double[] sp = {1, 1, 1};
        int[] a = new int[60];
        int[] b = new int[60];
        a[0] = 1;
        b[0] = 1; // case a: class 1 perfect, class 2 in neither
        int[] c = new int[60];
        int[] d = new int[60];
        c[0] = 1;
        c[1] = 2;
        d[1] = 1;
        d[2] = 2; // case b: class 1 and 2 both disjoint
        write(dir.resolve("pred"), "a", a, s, sp);
        write(dir.resolve("gt"), "a", b, s, sp);
        write(dir.resolve("pred"), "b", c, s, sp);
        write(dir.resolve("gt"), "b", d, s, sp);
        Evaluation.Summary sum = Evaluation.run(Evaluation.pairFolders(dir.resolve("pred"), dir.resolve("gt")), null, 2,
                Progress.NONE);
        assertEquals(2, sum.labels().length);
        assertEquals(0.5, sum.mean(1).dice(), 1e-12); // (1 + 0) / 2
        assertEquals(0.0, sum.mean(2).dice(), 1e-12); // case a left out
        assertEquals(1, sum.mean(2).bothEmpty());
        assertEquals(1, sum.mean(2).cases());
        assertEquals(0.25, sum.foregroundDice(), 1e-12);
        String json = Evaluation.toJson(sum);
        assertFalse(json.contains("NaN"), json);
        assertTrue(json.contains("\"Dice\": null"), json);
        assertTrue(Evaluation.table(sum).contains("foreground"));
        // Explicit labels: class 3 is in no map, so its mean is undefined.
        Evaluation.Summary three = Evaluation.run(Evaluation.pairFolders(dir.resolve("pred"), dir.resolve("gt")),
                new int[] {1, 3}, 1, Progress.NONE);
        assertTrue(Double.isNaN(three.mean(3).dice()));
        assertEquals(0.5, three.foregroundDice(), 1e-12);
        // A reference without prediction is named.
        write(dir.resolve("gt"), "c", d, s, sp);
        IOException e = assertThrows(IOException.class, () -> Evaluation.pairFolders(dir.resolve("pred"),
                dir.resolve("gt")));
        assertTrue(e.getMessage().contains("[c]"), e.getMessage());
    }

    @Test
    void aPredictionOnAnotherGridIsRefusedNotScored() throws IOException {
        int[] s = {6, 5, 2};
        int[] a = new int[60];
        a[0] = 1;
        write(dir.resolve("pred"), "a", a, s, new double[] {1, 1, 2});
        write(dir.resolve("gt"), "a", a, s, new double[] {1, 1, 1});
        IOException e = assertThrows(IOException.class, () -> Evaluation.run(
                Evaluation.pairFolders(dir.resolve("pred"), dir.resolve("gt")), null, 1, Progress.NONE));
        assertTrue(e.getMessage().contains("a.nii.gz") && e.getMessage().contains("spacing [1.0, 1.0, 2.0] differs"),
                e.getMessage());
    }
}

package io.github.nnunetfiji.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.inference.TinyPlans;
import io.github.nnunetfiji.plan.PlanConfiguration;

/** The cascade's hand-over: stage-1 probabilities to labels on stage 2's grid, one-hot, stored. */
class PreviousStageSegmentationTest {

    private static final PlanConfiguration LOW = TinyPlans.make(1, 3).configuration("3d_fullres");

    @Test
    void probabilitiesOnTheCoarseGridBecomeLabelsOnTheFineGrid() {
        // 2x2x2 -> 4x4x4: class 1 likely at x = 0, class 2 at x = 1 where y = 1, background elsewhere.
        int[] from = {2, 2, 2};
        float[][] p = new float[3][8];
        for (int i = 0; i < 8; i++) {
            int x = i % 2;
            int y = (i / 2) % 2;
            p[1][i] = x == 0 ? 0.9f : 0.05f;
            p[2][i] = x == 1 && y == 1 ? 0.9f : 0.05f;
            p[0][i] = 1 - p[1][i] - p[2][i];
        }
        float[][] copy = {p[0].clone(), p[1].clone(), p[2].clone()};
        byte[] labels = PreviousStageSegmentation.resampledLabels(p, from, new double[] {2, 2, 2}, new int[] {4, 4, 4},
                new double[] {1, 1, 1}, LOW, 1);
        // Linear, half-voxel centres: fine x 0, 1 lie nearer coarse x 0 (weights 1 and 0.75), 2, 3 nearer x 1.
        for (int z = 0; z < 4; z++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    int expected = x < 2 ? 1 : y >= 2 ? 2 : 0;
                    assertEquals(expected, labels[x + 4 * (y + 4 * z)], "at " + x + "," + y + "," + z);
                }
            }
        }
        assertArrayEquals(copy[1], p[1], "the probabilities are not changed");
    }

    @Test
    void oneHotHasOneChannelPerForegroundClass() {
        byte[] labels = {0, 1, 2, -1, 2};
        float[][] c = PreviousStageSegmentation.oneHot(labels, 3);
        assertEquals(2, c.length);
        assertArrayEquals(new float[] {0, 1, 0, 0, 0}, c[0]);
        assertArrayEquals(new float[] {0, 0, 1, 0, 1}, c[1]);
        float[] planar = new float[1 + 2 * 5];
        planar[0] = 5;
        PreviousStageSegmentation.oneHot(labels, 5, 3, planar, 1);
        assertArrayEquals(new float[] {5, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1}, planar);
    }

    @Test
    void storedPredictionsAreKeyedByFold(@TempDir Path dir) throws IOException {
        Path folder = PreviousStagePredictions.folder(dir, "3d_lowres");
        int[] shape = {2, 2, 1};
        byte[] a = {0, 1, 1, 0};
        assertNull(PreviousStagePredictions.read(folder, "c1"));
        PreviousStagePredictions.write(folder, new PreviousStagePredictions.Header("c1", "3d_lowres", "2", 40, shape), a);
        assertEquals("2", PreviousStagePredictions.read(folder, "c1").fold());
        assertArrayEquals(a, PreviousStagePredictions.readLabels(folder, "c1", shape));
        assertTrue(PreviousStagePredictions.mayWrite(folder, "c1", "2"), "its own fold replaces it");
        assertTrue(!PreviousStagePredictions.mayWrite(folder, "c1", "all"), "fold all never replaces a held-out fold's");
        assertTrue(PreviousStagePredictions.mayWrite(folder, "c2", "all"), "but fills a case without one");
        IOException e = assertThrows(IOException.class, () -> PreviousStagePredictions.readLabels(folder, "c1",
                new int[] {4, 1, 1}));
        assertTrue(e.getMessage().contains("c1.seg") && e.getMessage().contains("train the cascade's first stage"),
                e.getMessage());
        // A cut-short write (voxels without their header) counts as missing.
        Files.delete(PreviousStagePredictions.headerFile(folder, "c1"));
        assertNull(PreviousStagePredictions.read(folder, "c1"));
        try (PreviousStagePredictions.Mapped m = openWritten(folder, shape, a)) {
            byte[] box = new byte[8];
            m.readPatch(new int[] {-1, 0, 0}, new int[] {4, 2, 1}, box, (byte) -1);
            assertArrayEquals(new byte[] {-1, 0, 1, -1, -1, 1, 0, -1}, box, "outside reads the padding value");
        }
    }

    private static PreviousStagePredictions.Mapped openWritten(Path folder, int[] shape, byte[] a) throws IOException {
        PreviousStagePredictions.write(folder, new PreviousStagePredictions.Header("c1", "3d_lowres", "0", 1, shape), a);
        return PreviousStagePredictions.open(folder, "c1", shape);
    }
}

package io.github.nnunetfiji.train.data;

import static io.github.nnunetfiji.train.data.TestStores.code;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.train.augment.AugmentationOptions;

/** Patch sampling on stores whose voxels encode their own position, so every read can be checked. */
class TrainingDataTest {

    @TempDir
    Path tmp;

    private static DataOptions noAugmentation() {
        return DataOptions.defaults().withAugmentation(AugmentationOptions.none());
    }

    /** Three 40^3 cases with small foreground cubes (edge 4; classes 1 and 2) near different corners. */
    private List<String> sparseForeground() throws IOException {
        int[] shape = {40, 40, 40};
        byte[] a = TestStores.cubeLabels(shape, new int[] {2, 3, 4}, 4, 1);
        byte[] b = TestStores.cubeLabels(shape, new int[] {34, 30, 33}, 4, 2);
        byte[] c = TestStores.cubeLabels(shape, new int[] {20, 35, 1}, 4, 1);
        TestStores.addCube(c, shape, new int[] {1, 1, 35}, 4, 2);
        TestStores.writeCodedCase(tmp, "a", shape, 2, a);
        TestStores.writeCodedCase(tmp, "b", shape, 2, b);
        TestStores.writeCodedCase(tmp, "c", shape, 2, c);
        return List.of("a", "b", "c");
    }

    private static boolean hasForeground(byte[] labels, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (labels[i] != 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    void atLeastAThirdOfEveryBatchHoldsForeground() throws Exception {
        List<String> ids = sparseForeground();
        for (int batch : new int[] {2, 3, 4, 5}) {
            Plans plans = TestStores.plans("3d_fullres", new long[] {24, 24, 24}, null, null, batch, 2, 3, false);
            int forced = SamplingPlan.forcedSlots(batch, 0.33);
            assertTrue(forced * 3 >= batch, "batch " + batch + " forces " + forced);
            for (boolean validation : new boolean[] {false, true}) {
                try (BatchSource s = TrainingData.open(tmp, ids, plans, "3d_fullres", validation, 7, 2)) {
                    for (int i = 0; i < 30; i++) {
                        Batch b = s.next();
                        int n = (int) b.voxelsPerSample();
                        for (int slot = batch - forced; slot < batch; slot++) {
                            assertTrue(hasForeground(b.labels(), slot * n, n),
                                    "batch " + i + " slot " + slot + " of " + batch + " has no foreground");
                        }
                    }
                }
            }
        }
        // Random slots rarely hit a cube near a corner: the forcing is what gives the foreground.
        Plans plans = TestStores.plans("3d_fullres", new long[] {24, 24, 24}, null, null, 3, 2, 3, false);
        DataOptions none = noAugmentation().withForegroundFraction(0);
        int with = 0;
        try (BatchSource s = TrainingData.open(tmp, ids, plans, "3d_fullres", false, 7, 0, none)) {
            for (int i = 0; i < 30; i++) {
                Batch b = s.next();
                int n = (int) b.voxelsPerSample();
                for (int slot = 0; slot < 3; slot++) {
                    with += hasForeground(b.labels(), slot * n, n) ? 1 : 0;
                }
            }
        }
        assertTrue(with < 45, "without oversampling " + with + " of 90 samples hold foreground");
    }

    @Test
    void forcedSlotsFollowTheReferenceAndNeverFallBelowAThird() {
        assertEquals(1, SamplingPlan.forcedSlots(2, 0.33));
        assertEquals(1, SamplingPlan.forcedSlots(3, 0.33));
        assertEquals(2, SamplingPlan.forcedSlots(4, 0.33)); // the reference forces 1
        assertEquals(2, SamplingPlan.forcedSlots(5, 0.33));
        assertEquals(4, SamplingPlan.forcedSlots(12, 0.33));
        assertEquals(0, SamplingPlan.forcedSlots(12, 0));
    }

    @Test
    void batchesDependOnlyOnSeedAndIndexNotOnThreads() throws Exception {
        List<String> ids = sparseForeground();
        Plans plans = TestStores.plans("3d_fullres", new long[] {16, 16, 16}, null, null, 3, 2, 3, false);
        List<Batch> reference = take(ids, plans, 0, 11, 8);
        for (int threads : new int[] {1, 2, 3}) {
            List<Batch> other = take(ids, plans, threads, 11, 8);
            for (int i = 0; i < reference.size(); i++) {
                assertArrayEquals(reference.get(i).images(), other.get(i).images(), "batch " + i + ", threads " + threads);
                assertArrayEquals(reference.get(i).labels(), other.get(i).labels(), "batch " + i + ", threads " + threads);
            }
        }
        List<Batch> otherSeed = take(ids, plans, 2, 12, 1);
        assertTrue(!java.util.Arrays.equals(reference.get(0).images(), otherSeed.get(0).images()));
    }

    private List<Batch> take(List<String> ids, Plans plans, int threads, long seed, int n) throws Exception {
        List<Batch> out = new ArrayList<>();
        try (BatchSource s = TrainingData.open(tmp, ids, plans, "3d_fullres", false, seed, threads)) {
            for (int i = 0; i < n; i++) {
                out.add(s.next());
            }
        }
        return out;
    }

    @Test
    void aCaseSmallerThanThePatchIsPaddedAroundItsCentre() throws Exception {
        int[] shape = {5, 6, 7};
        byte[] labels = TestStores.cubeLabels(shape, new int[] {1, 1, 1}, 3, 1);
        TestStores.writeCodedCase(tmp, "small", shape, 1, labels);
        Plans plans = TestStores.plans("3d_fullres", new long[] {8, 8, 8}, null, null, 2, 1, 2, false);
        try (BatchSource s = TrainingData.open(tmp, List.of("small"), plans, "3d_fullres", true, 1, 0)) {
            Batch b = s.next();
            assertArrayEquals(new int[] {8, 8, 8}, b.shape());
            // Random slot: the box overhangs by floor/ceil of the missing voxels, i.e. starts at (-1, -1, 0).
            int[] off = {1, 1, 0};
            for (int z = 0; z < 8; z++) {
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        int cx = x - off[0];
                        int cy = y - off[1];
                        int cz = z - off[2];
                        boolean inside = cx >= 0 && cx < 5 && cy >= 0 && cy < 6 && cz >= 0 && cz < 7;
                        int i = x + 8 * (y + 8 * z);
                        assertEquals(inside ? code(0, cx, cy, cz) : 0f, b.images()[i], "image at " + x + "," + y + "," + z);
                        assertEquals(inside ? labels[cx + 5 * (cy + 6 * cz)] : 0, b.labels()[i]);
                    }
                }
            }
        }
    }

    @Test
    void twoDimensionalConfigurationsCutSlicesAcrossThePlansSliceAxis() throws Exception {
        int[] shape = {9, 20, 24};
        TestStores.writeCodedCase(tmp, "v", shape, 2, TestStores.cubeLabels(shape, new int[] {4, 8, 9}, 3, 1));
        // Slices across x: the network sees (y, z), y fastest.
        Plans plans = TestStores.plans("2d", new long[] {1, 16, 16}, 0, null, 4, 2, 2, false);
        try (BatchSource s = TrainingData.open(tmp, List.of("v"), plans, "2d", true, 3, 0)) {
            for (int k = 0; k < 5; k++) {
                Batch b = s.next();
                assertArrayEquals(new int[] {16, 16}, b.shape());
                for (int n = 0; n < b.size(); n++) {
                    int base = n * 256;
                    float first = b.images()[base * 2];
                    float x = (first - 1) % 100;
                    float y0 = ((first - 1) / 100) % 100;
                    float z0 = (first - 1) / 10_000;
                    for (int j = 0; j < 16; j++) {
                        for (int i = 0; i < 16; i++) {
                            int v = base + i + 16 * j;
                            assertEquals(code(0, (int) x, (int) y0 + i, (int) z0 + j), b.images()[v * 2]);
                            assertEquals(code(1, (int) x, (int) y0 + i, (int) z0 + j), b.images()[v * 2 + 1]);
                        }
                    }
                }
            }
        }
        // A 2D data set (z = 1) works as is: slices across z.
        int[] flat = {30, 28, 1};
        TestStores.writeCodedCase(tmp, "flat", flat, 1, TestStores.cubeLabels(flat, new int[] {3, 3, 0}, 1, 1));
        Plans flatPlans = TestStores.plans("2d", new long[] {16, 16, 1}, 2, null, 2, 1, 2, false);
        try (BatchSource s = TrainingData.open(tmp, List.of("flat"), flatPlans, "2d", false, 3, 1)) {
            Batch b = s.next();
            assertArrayEquals(new int[] {16, 16}, b.shape());
            // The forced slot is centred on the one foreground voxel.
            assertTrue(hasForeground(b.labels(), 256, 256));
        }
    }

    @Test
    void labelMinusOneMasksTheImageInTrainingAndBecomesBackground() throws Exception {
        int[] shape = {12, 12, 12};
        byte[] labels = TestStores.cubeLabels(shape, new int[] {4, 4, 4}, 3, 1);
        for (int i = 0; i < labels.length; i++) {
            if (i % 12 < 2) {
                labels[i] = -1; // outside the nonzero mask: x = 0, 1
            }
        }
        TestStores.writeCodedCase(tmp, "m", shape, 2, labels);
        // Channel 0 was normalized inside the nonzero mask, channel 1 was not.
        Plans plans = TestStores.plans("3d_fullres", new long[] {12, 12, 12}, null, null, 2, 2, 2, true);
        for (boolean validation : new boolean[] {false, true}) {
            try (BatchSource s = TrainingData.open(tmp, List.of("m"), plans, "3d_fullres", validation, 5, 0,
                    noAugmentation())) {
                Batch b = s.next();
                for (int i = 0; i < 12 * 12 * 12; i++) {
                    int x = i % 12;
                    int y = i / 12 % 12;
                    int z = i / 144;
                    assertTrue(b.labels()[i] >= 0);
                    assertEquals(x < 2 ? 0 : labels[i], b.labels()[i]);
                    assertEquals(x < 2 && !validation ? 0f : code(0, x, y, z), b.images()[2 * i], "masked channel");
                    assertEquals(code(1, x, y, z), b.images()[2 * i + 1], "channel without mask");
                }
            }
        }
    }

    @Test
    void missingCasesAndClosedSourcesGiveClearErrors() throws Exception {
        List<String> ids = sparseForeground();
        Plans plans = TestStores.plans("3d_fullres", new long[] {16, 16, 16}, null, null, 2, 2, 3, false);
        IOException e = assertThrows(IOException.class,
                () -> TrainingData.open(tmp, List.of("a", "nope"), plans, "3d_fullres", false, 1, 1));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("preprocess"), e.getMessage());
        Plans threeChannels = TestStores.plans("3d_fullres", new long[] {16, 16, 16}, null, null, 2, 3, 3, false);
        assertThrows(IOException.class, () -> TrainingData.open(tmp, ids, threeChannels, "3d_fullres", false, 1, 1));
        BatchSource s = TrainingData.open(tmp, ids, plans, "3d_fullres", false, 1, 2);
        s.next();
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, s::next);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertTrue(!t.getName().startsWith("nnunet-batches-") || !t.isAlive(), "leaked " + t.getName());
        }
    }
}

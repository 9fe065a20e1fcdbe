package io.github.nnunetfiji.train.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The cascade's perturbations of the previous stage's one-hot channels, on shapes with known answers. */
class PreviousStagePerturbationTest {

    private static final int[] SHAPE = {21, 21, 21};
    private static final int N = 21 * 21 * 21;

    private static int at(int x, int y, int z) {
        return x + SHAPE[0] * (y + SHAPE[1] * z);
    }

    /** A cube of edge {@code 2h+1} centred at c. */
    private static boolean[] cube(int cx, int cy, int cz, int h) {
        boolean[] m = new boolean[N];
        for (int z = cz - h; z <= cz + h; z++) {
            for (int y = cy - h; y <= cy + h; y++) {
                for (int x = cx - h; x <= cx + h; x++) {
                    m[at(x, y, z)] = true;
                }
            }
        }
        return m;
    }

    private static int count(boolean[] m) {
        int n = 0;
        for (boolean b : m) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** Morphology by brute force over the ball {|v|^2 <= r^2}, outside the volume neither fore- nor background. */
    private static boolean[] naive(boolean[] m, int r, boolean dilate) {
        boolean[] out = new boolean[N];
        for (int z = 0; z < SHAPE[2]; z++) {
            for (int y = 0; y < SHAPE[1]; y++) {
                for (int x = 0; x < SHAPE[0]; x++) {
                    boolean any = false;
                    boolean all = true;
                    for (int dz = -r; dz <= r; dz++) {
                        for (int dy = -r; dy <= r; dy++) {
                            for (int dx = -r; dx <= r; dx++) {
                                int x2 = x + dx;
                                int y2 = y + dy;
                                int z2 = z + dz;
                                if (dx * dx + dy * dy + dz * dz > r * r || x2 < 0 || y2 < 0 || z2 < 0 || x2 >= SHAPE[0]
                                        || y2 >= SHAPE[1] || z2 >= SHAPE[2]) {
                                    continue;
                                }
                                boolean v = m[at(x2, y2, z2)];
                                any |= v;
                                all &= v;
                            }
                        }
                    }
                    out[at(x, y, z)] = dilate ? any : m[at(x, y, z)] && all;
                }
            }
        }
        return out;
    }

    @Test
    void erosionShrinksACubeByTheRadiusOnEverySide() {
        boolean[] eroded = BinaryMorphology.erode(cube(10, 10, 10, 5), SHAPE, 2);
        assertArrayEquals(cube(10, 10, 10, 3), eroded, "an 11^3 cube eroded by a ball of radius 2 is the 7^3 cube");
        assertEquals(0, count(BinaryMorphology.erode(cube(10, 10, 10, 2), SHAPE, 3)), "a 5^3 cube vanishes at radius 3");
    }

    @Test
    void dilationOfOneVoxelIsTheBall() {
        boolean[] one = new boolean[N];
        one[at(10, 10, 10)] = true;
        assertEquals(7, count(BinaryMorphology.dilate(one, SHAPE, 1)));
        assertEquals(33, count(BinaryMorphology.dilate(one, SHAPE, 2)));
        assertEquals(123, count(BinaryMorphology.dilate(one, SHAPE, 3)));
        // Radius 8: every voxel within the sphere, by brute force.
        int expected = 0;
        for (int dz = -8; dz <= 8; dz++) {
            for (int dy = -8; dy <= 8; dy++) {
                for (int dx = -8; dx <= 8; dx++) {
                    expected += dx * dx + dy * dy + dz * dz <= 64 ? 1 : 0;
                }
            }
        }
        assertEquals(expected, count(BinaryMorphology.dilate(one, SHAPE, 8)));
    }

    @Test
    void distanceTransformMorphologyEqualsTheBruteForceBallOnRandomMasks() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 3; trial++) {
            boolean[] m = new boolean[N];
            for (int i = 0; i < N; i++) {
                m[i] = rng.nextDouble() < 0.15 * (trial + 1);
            }
            for (int r = 1; r <= 3; r++) {
                assertArrayEquals(naive(m, r, true), BinaryMorphology.dilate(m, SHAPE, r), "dilation r=" + r);
                assertArrayEquals(naive(m, r, false), BinaryMorphology.erode(m, SHAPE, r), "erosion r=" + r);
            }
        }
    }

    @Test
    void openingRemovesWhatTheBallDoesNotFitAndClosingFillsAHole() {
        boolean[] m = cube(6, 6, 6, 4);
        boolean[] small = cube(16, 16, 16, 1);
        for (int i = 0; i < N; i++) {
            m[i] |= small[i];
        }
        boolean[] opened = BinaryMorphology.open(m, SHAPE, 2);
        assertFalse(opened[at(16, 16, 16)], "the 3^3 cube is opened away");
        assertTrue(opened[at(6, 6, 6)], "the 9^3 cube stays");
        boolean[] holed = cube(10, 10, 10, 4);
        holed[at(10, 10, 10)] = false;
        assertArrayEquals(cube(10, 10, 10, 4), BinaryMorphology.close(holed, SHAPE, 1), "closing fills the hole, nothing else");
    }

    @Test
    void anOperatorTakesTheVoxelsItAddsFromTheOtherChannels() {
        // Two one-hot channels after one image channel: class 1 a cube, class 2 a slab beside it.
        float[] image = new float[3 * N];
        boolean[] c1 = cube(10, 10, 10, 3);
        for (int i = 0; i < N; i++) {
            image[i] = 7f; // the image channel is not touched
            image[N + i] = c1[i] ? 1 : 0;
            int x = i % SHAPE[0];
            image[2 * N + i] = !c1[i] && x >= 14 ? 1 : 0;
        }
        PreviousStagePerturbation.applyOperator(image, 1, 1, 2, SHAPE, PreviousStagePerturbation.Operator.DILATION, 2);
        boolean[] dilated = BinaryMorphology.dilate(c1, SHAPE, 2);
        for (int i = 0; i < N; i++) {
            assertEquals(7f, image[i]);
            assertEquals(dilated[i] ? 1f : 0f, image[N + i]);
            assertFalse(image[N + i] == 1f && image[2 * N + i] == 1f, "the channels stay exclusive");
        }
        assertEquals(0f, image[2 * N + at(14, 10, 10)], "class 2 lost the voxel class 1 grew into");
        assertEquals(1f, image[2 * N + at(18, 10, 10)], "class 2 keeps the rest");
    }

    @Test
    void componentRemovalTakesOneSmallComponentAndRespectsTheCoverageLimit() {
        float[] image = new float[N];
        boolean[] big = cube(6, 6, 6, 6); // 13^3 = 2197 voxels: 23.7% of 9261, over the 15% limit
        boolean[] small = cube(17, 17, 17, 1); // 27 voxels
        boolean[] tiny = new boolean[N];
        tiny[at(17, 3, 17)] = true;
        for (int i = 0; i < N; i++) {
            image[i] = big[i] || small[i] || tiny[i] ? 1 : 0;
        }
        int removedSmall = 0;
        int removedTiny = 0;
        for (long seed = 0; seed < 40; seed++) {
            float[] copy = image.clone();
            long removed = PreviousStagePerturbation.removeComponent(copy, 0, SHAPE, 0.15, new SplittableRandom(seed));
            assertEquals(1f, copy[at(6, 6, 6)], "the component over 15% of the patch is never removed");
            if (removed == 27) {
                removedSmall++;
                assertEquals(0f, copy[at(17, 17, 17)]);
                assertEquals(1f, copy[at(17, 3, 17)]);
            } else {
                assertEquals(1, removed);
                removedTiny++;
                assertEquals(0f, copy[at(17, 3, 17)]);
                assertEquals(1f, copy[at(17, 17, 17)]);
            }
        }
        assertTrue(removedSmall > 5 && removedTiny > 5, "either small component, chosen at random: " + removedSmall + "/"
                + removedTiny);
        float[] onlyBig = new float[N];
        for (int i = 0; i < N; i++) {
            onlyBig[i] = big[i] ? 1 : 0;
        }
        assertEquals(0, PreviousStagePerturbation.removeComponent(onlyBig, 0, SHAPE, 0.15, new SplittableRandom(1)));
        // Corner-touching voxels are one component (full connectivity).
        float[] diagonal = new float[N];
        diagonal[at(2, 2, 2)] = 1;
        diagonal[at(3, 3, 3)] = 1;
        assertEquals(2, PreviousStagePerturbation.removeComponent(diagonal, 0, SHAPE, 0.15, new SplittableRandom(1)));
    }

    @Test
    void theTransformsRunWithTheReferencesProbabilities() {
        // One small cube per channel: count how often each channel changes over many samples.
        int samples = 2000;
        int changed = 0;
        for (int s = 0; s < samples; s++) {
            float[] image = new float[N];
            boolean[] c = cube(10, 10, 10, 2);
            for (int i = 0; i < N; i++) {
                image[i] = c[i] ? 1 : 0;
            }
            float[] before = image.clone();
            PreviousStagePerturbation.apply(image, 0, 1, SHAPE, new SplittableRandom(s));
            changed += java.util.Arrays.equals(before, image) ? 0 : 1;
        }
        // Operator 0.4 x 0.5 (closing of a cube changes nothing: 1/4 of those), removal 0.2 x 0.5:
        // P(change) = 1 - (1 - 0.2 * 3/4) (1 - 0.1) = 0.235.
        double share = changed / (double) samples;
        assertEquals(0.235, share, 0.035, "share of samples changed");
    }
}

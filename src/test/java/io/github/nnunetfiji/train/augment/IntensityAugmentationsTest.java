package io.github.nnunetfiji.train.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The intensity transforms against values worked out by hand from the reference's definitions. */
class IntensityAugmentationsTest {

    private static float[] ramp(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * 2 + 1);
        }
        return a;
    }

    private static double[] meanSd(float[] a) {
        double s = 0;
        double q = 0;
        for (float v : a) {
            s += v;
            q += (double) v * v;
        }
        double m = s / a.length;
        return new double[] {m, Math.sqrt(q / a.length - m * m)};
    }

    @Test
    void gammaKeepsMeanAndStandardDeviation() {
        for (boolean invert : new boolean[] {false, true}) {
            float[] a = ramp(5000, 1);
            double[] before = meanSd(a);
            IntensityAugmentations.gamma(a, 0, a.length, 1.4, invert);
            double[] after = meanSd(a);
            assertEquals(before[0], after[0], 1e-4);
            assertEquals(before[1], after[1], 1e-4);
        }
        // The transform itself: on 0, 1, 2, 3 (range 3, min 0) gamma 2 gives 0, 1/3, 4/3, 3 before the restore.
        float[] a = {0, 1, 2, 3};
        IntensityAugmentations.gamma(a, 0, 4, 2, false);
        float[] expected = {0, 1f / 3, 4f / 3, 3};
        double[] ms = meanSd(expected);
        double[] target = {1.5, Math.sqrt(1.25)};
        for (int i = 0; i < 4; i++) {
            assertEquals((expected[i] - ms[0]) * target[1] / ms[1] + target[0], a[i], 1e-5);
        }
    }

    @Test
    void contrastStretchesAboutTheMeanWithinTheOldRange() {
        float[] a = {0, 1, 2, 5};
        IntensityAugmentations.contrast(a, 0, 4, 1.5);
        // mean 2: 0 -> -1 (clamped to 0), 1 -> 0.5, 2 -> 2, 5 -> 6.5 (clamped to 5)
        assertArrayEquals(new float[] {0, 0.5f, 2, 5}, a, 1e-6f);
    }

    @Test
    void blurKernelsAndMirrorBoundary() {
        assertEquals(3, IntensityAugmentations.kernelSize(0.5));
        assertEquals(5, IntensityAugmentations.kernelSize(0.75));
        assertEquals(7, IntensityAugmentations.kernelSize(1.0));
        assertEquals(1, IntensityAugmentations.reflect(-1, 5));
        assertEquals(3, IntensityAugmentations.reflect(5, 5));
        assertEquals(0, IntensityAugmentations.reflect(8, 5));
        IntensityAugmentations t = new IntensityAugmentations(AugmentationOptions.defaults(), SpatialMode.volume());
        // A constant stays constant; a single spike spreads to a normalized 3-tap kernel.
        float[] c = new float[6 * 5 * 4];
        java.util.Arrays.fill(c, 3f);
        for (int axis = 0; axis < 3; axis++) {
            t.blur(c, 0, new int[] {6, 5, 4}, axis, 0.7);
        }
        for (float v : c) {
            assertEquals(3f, v, 1e-5);
        }
        float[] spike = new float[9];
        spike[4] = 1;
        t.blur(spike, 0, new int[] {9, 1, 1}, 0, 0.5);
        double e = Math.exp(-2);
        assertEquals(1 / (1 + 2 * e), spike[4], 1e-6);
        assertEquals(e / (1 + 2 * e), spike[3], 1e-6);
        assertEquals(0, spike[2], 1e-7);
    }

    @Test
    void lowResolutionSamplesTheOddVoxelsAndInterpolatesBack() {
        IntensityAugmentations t = new IntensityAugmentations(AugmentationOptions.defaults(), SpatialMode.slicewise(2));
        float[] a = {0, 10, 20, 30, 40, 50, 60, 70};
        t.lowResolution(a, 0, new int[] {8, 1, 1}, 0.5);
        // Down to 4 voxels: nearest-exact picks 10, 30, 50, 70; back to 8 with half-pixel linear:
        // positions -0.25 (clamped 0), 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.25 (clamped 3).
        assertArrayEquals(new float[] {10, 15, 25, 35, 45, 55, 65, 70}, a, 1e-5f);
        // The slice axis of slice-wise mode keeps its resolution.
        float[] b = {0, 10, 20, 30};
        t.lowResolution(b, 0, new int[] {1, 1, 4}, 0.5);
        assertArrayEquals(new float[] {0, 10, 20, 30}, b);
    }

    @Test
    void allTransformsTogetherChangeSomethingAndStayFinite() {
        AugmentationOptions o = AugmentationOptions.defaults().withNoiseProbability(1).withBlurProbability(1)
                .withBrightnessProbability(1).withContrastProbability(1).withLowResolutionProbability(1)
                .withInvertedGammaProbability(1).withGammaProbability(1);
        IntensityAugmentations t = new IntensityAugmentations(o, SpatialMode.volume());
        float[] a = ramp(2 * 16 * 12 * 10, 3);
        float[] before = a.clone();
        t.apply(a, 2, new int[] {16, 12, 10}, new SplittableRandom(9));
        int changed = 0;
        for (int i = 0; i < a.length; i++) {
            assertTrue(Float.isFinite(a[i]));
            changed += a[i] != before[i] ? 1 : 0;
        }
        assertTrue(changed > a.length * 0.9);
    }
}

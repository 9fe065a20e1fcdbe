package io.github.nnunetfiji.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class CropAndLabelsTest {

    private static int idx(int[] s, int x, int y, int z) {
        return x + s[0] * (y + s[1] * z);
    }

    @Test
    void boundingBoxCoversNonzeroOfAnyChannelAndHolesAreFilled() {
        int[] s = {10, 9, 8};
        float[] a = new float[720];
        float[] b = new float[720];
        // A hollow cube 2..6 in channel a (its inside is 0), one voxel at (8, 1, 7) in channel b.
        for (int z = 2; z <= 6; z++) {
            for (int y = 2; y <= 6; y++) {
                for (int x = 2; x <= 6; x++) {
                    boolean shell = x == 2 || x == 6 || y == 2 || y == 6 || z == 2 || z == 6;
                    a[idx(s, x, y, z)] = shell ? 1 : 0;
                }
            }
        }
        b[idx(s, 8, 1, 7)] = -3;
        NonzeroRegion r = NonzeroRegion.of(new float[][] {a, b}, s);
        assertArrayEquals(new int[] {2, 1, 2}, r.min());
        assertArrayEquals(new int[] {9, 7, 8}, r.maxExclusive());
        assertTrue(r.mask()[idx(s, 4, 4, 4)], "the enclosed hole is filled");
        assertFalse(r.mask()[idx(s, 0, 0, 0)]);
        assertFalse(r.mask()[idx(s, 7, 4, 4)]);
    }

    @Test
    void cropThenUncropRoundTripsExactly() {
        int[] s = {12, 7, 5};
        Random rnd = new Random(5);
        float[] v = new float[420];
        for (int z = 1; z < 4; z++) {
            for (int y = 2; y < 6; y++) {
                for (int x = 3; x < 11; x++) {
                    v[idx(s, x, y, z)] = 1 + rnd.nextFloat();
                }
            }
        }
        NonzeroRegion r = NonzeroRegion.of(new float[][] {v}, s);
        assertArrayEquals(new int[] {8, 4, 3}, r.croppedShape());
        float[] c = r.crop(v);
        assertEquals(96, c.length);
        assertArrayEquals(v, NonzeroRegion.uncrop(c, r.min(), r.croppedShape(), s, 0f));
    }

    @Test
    void emptyImageIsNotCropped() {
        int[] s = {4, 3, 2};
        NonzeroRegion r = NonzeroRegion.of(new float[][] {new float[24]}, s);
        assertArrayEquals(s, r.croppedShape());
    }

    @Test
    void classLocationsFollowTheCoverageRuleAndAreDeterministic() {
        byte[] labels = new byte[2_000_000];
        for (int i = 0; i < 1_500_000; i++) {
            labels[i] = 1; // 1% of 1.5M = 15,000 > 10,000
        }
        for (int i = 1_500_000; i < 1_500_050; i++) {
            labels[i] = 3; // small class: all 50 kept
        }
        Map<Integer, int[]> loc = ClassLocations.sample(labels, 11);
        assertEquals(15_000, loc.get(1).length);
        assertEquals(50, loc.get(3).length);
        assertFalse(loc.containsKey(2));
        for (int i : loc.get(1)) {
            assertEquals(1, labels[i]);
        }
        assertArrayEquals(loc.get(1), ClassLocations.sample(labels, 11).get(1));
    }

    @Test
    void nearestLabelResamplingKeepsValues() {
        int[] s = {4, 1, 1};
        byte[] l = {0, 1, 2, 3};
        byte[] up = new LabelResampler(1).resample(l, s, new int[] {8, 1, 1}, LabelResampler.Mode.NEAREST, -1);
        assertArrayEquals(new byte[] {0, 0, 1, 1, 2, 2, 3, 3}, up);
    }

    @Test
    void oneHotLinearLabelResamplingSmoothsBoundaries() {
        // A 2-voxel-wide object in 6 voxels, upsampled 3x: linear masks cross 0.5 half-way.
        int[] s = {6, 1, 1};
        byte[] l = {0, 0, 2, 2, 0, 0};
        byte[] up = new LabelResampler(1).resample(l, s, new int[] {18, 1, 1}, LabelResampler.Mode.ONE_HOT_LINEAR, -1);
        // Output j sits at (j + 0.5) / 3 - 0.5; the mask is >= 0.5 for input coordinates in [1.5, 3.5].
        byte[] expect = new byte[18];
        for (int j = 0; j < 18; j++) {
            double x = (j + 0.5) / 3 - 0.5;
            expect[j] = (byte) (x >= 1.5 - 1e-9 && x <= 3.5 + 1e-9 ? 2 : 0);
        }
        assertArrayEquals(expect, up);
    }

    @Test
    void outsideMarkIsResampledFirstAndBackgroundOverwritesItAtTies() {
        // At the middle output voxel (input coordinate 0.5) the masks of -1 and 0 are both 0.5;
        // labels are written in ascending order, so 0 wins there, as in the reference.
        byte[] up = new LabelResampler(1).resample(new byte[] {-1, 0}, new int[] {2, 1, 1}, new int[] {3, 1, 1},
                LabelResampler.Mode.ONE_HOT_LINEAR, -1);
        assertArrayEquals(new byte[] {-1, 0, 0}, up);
        byte[] nn = new LabelResampler(1).resample(new byte[] {-1, 0, 2, 2}, new int[] {4, 1, 1}, new int[] {8, 1, 1},
                LabelResampler.Mode.NEAREST, -1);
        assertArrayEquals(new byte[] {-1, -1, 0, 0, 2, 2, 2, 2}, nn);
    }

    @Test
    void backgroundOutsideTheMaskIsMarkedAndLabelledVoxelsJoinTheMask() {
        byte[] labels = {0, 0, 1, 0, 2};
        boolean[] mask = {false, true, false, true, true};
        CasePreprocessor.markOutside(labels, mask);
        assertArrayEquals(new byte[] {-1, 0, 1, 0, 2}, labels);
        // The reference normalizes where the label is at least 0: a labelled voxel outside counts.
        assertArrayEquals(new boolean[] {false, true, true, true, true}, mask);
    }
}

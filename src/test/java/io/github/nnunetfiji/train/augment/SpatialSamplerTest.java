package io.github.nnunetfiji.train.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Image and labels stay aligned under every spatial transform: the transformed label map equals
 * the per-voxel argmax of the transformed one-hot image made from it; and fixed transforms give
 * known answers.
 */
class SpatialSamplerTest {

    private static AugmentationOptions alwaysSpatial(boolean elastic) {
        AugmentationOptions o = AugmentationOptions.defaults().withRotationProbability(1).withScalingProbability(1)
                .withElastic(elastic).withElasticProbability(1);
        return o;
    }

    /** Checks label == argmax(one-hot image) wherever the label is >= 0; returns how many voxels that was. */
    private static int assertAligned(float[] image, byte[] labels, int classes, int n, String what) {
        int inside = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0) {
                continue;
            }
            inside++;
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (image[c * n + i] > image[best * n + i]) {
                    best = c;
                }
            }
            assertEquals(best, labels[i], what + ": voxel " + i);
        }
        return inside;
    }

    private void alignment(int[] caseShape, int[] patch, SpatialMode mode, boolean elastic, double rotation) {
        int classes = 4;
        byte[] l = ArrayPatchSource.balls(caseShape, classes, 3);
        ArrayPatchSource src = ArrayPatchSource.oneHot(caseShape, l, classes);
        int[] loader = mode.isVolume() ? new int[] {patch[0] + 10, patch[1] + 10, patch[2] + 10}
                : new int[3];
        if (!mode.isVolume()) {
            for (int d = 0; d < 3; d++) {
                loader[d] = d == mode.sliceAxis() ? patch[d] : patch[d] + 10;
            }
        }
        int n = patch[0] * patch[1] * patch[2];
        float[] image = new float[classes * n];
        byte[] labels = new byte[n];
        SpatialSampler s = new SpatialSampler(AugmentationOptions.ImageInterpolation.LINEAR,
                AugmentationOptions.LabelInterpolation.ONE_HOT_LINEAR);
        SplittableRandom rng = new SplittableRandom(5);
        int seen = 0;
        for (int k = 0; k < 6; k++) {
            SpatialTransform t = SpatialTransform.draw(alwaysSpatial(elastic), mode, rotation, patch, rng);
            int[] start = {rng.nextInt(caseShape[0] - loader[0] + 1), rng.nextInt(caseShape[1] - loader[1] + 1),
                rng.nextInt(caseShape[2] - loader[2] + 1)};
            s.apply(src, start, loader, patch, mode, t, classes, image, labels);
            seen += assertAligned(image, labels, classes, n, mode + (elastic ? " elastic" : ""));
        }
        assertTrue(seen > 3 * n, "most voxels map inside the loader box: " + seen);
    }

    @Test
    void labelsFollowTheImageIn3d() {
        alignment(new int[] {50, 46, 44}, new int[] {24, 20, 22}, SpatialMode.volume(), false, Math.toRadians(30));
        alignment(new int[] {50, 46, 44}, new int[] {24, 20, 22}, SpatialMode.volume(), true, Math.toRadians(30));
    }

    @Test
    void labelsFollowTheImageSliceWiseAndIn2d() {
        alignment(new int[] {12, 50, 46}, new int[] {6, 24, 20}, SpatialMode.slicewise(0), true, Math.PI);
        alignment(new int[] {48, 10, 44}, new int[] {24, 5, 20}, SpatialMode.slicewise(1), false, Math.PI);
        alignment(new int[] {60, 56, 1}, new int[] {32, 28, 1}, SpatialMode.slicewise(2), true, Math.PI);
    }

    @Test
    void slicewiseTransformsLeaveTheSliceAxisAlone() {
        // Each slice of the image holds its own index: a slice-wise transform must never mix slices.
        int[] shape = {40, 40, 8};
        float[][] img = new float[1][40 * 40 * 8];
        for (int i = 0; i < img[0].length; i++) {
            img[0][i] = 10 + i / 1600;
        }
        ArrayPatchSource src = new ArrayPatchSource(shape, img, new byte[img[0].length]);
        int[] patch = {20, 20, 8};
        int[] loader = {30, 30, 8};
        float[] out = new float[20 * 20 * 8];
        byte[] labels = new byte[out.length];
        SpatialSampler s = new SpatialSampler(AugmentationOptions.ImageInterpolation.LINEAR,
                AugmentationOptions.LabelInterpolation.ONE_HOT_LINEAR);
        SplittableRandom rng = new SplittableRandom(1);
        for (int k = 0; k < 4; k++) {
            SpatialTransform t = SpatialTransform.draw(alwaysSpatial(true), SpatialMode.slicewise(2), Math.PI, patch, rng);
            s.apply(src, new int[] {5, 5, 0}, loader, patch, SpatialMode.slicewise(2), t, 1, out, labels);
            for (int i = 0; i < out.length; i++) {
                float v = out[i];
                assertTrue(v == 0f || Math.abs(v - (10 + i / 400)) < 1e-4 || labels[i] < 0,
                        "voxel " + i + " of slice " + i / 400 + " reads " + v);
            }
        }
    }

    @Test
    void identityCutsTheCentreAndARightAngleTurnPermutesVoxels() {
        int[] shape = {30, 30, 1};
        float[][] img = new float[1][900];
        byte[] lab = new byte[900];
        for (int i = 0; i < 900; i++) {
            img[0][i] = i;
            lab[i] = (byte) (i % 7);
        }
        ArrayPatchSource src = new ArrayPatchSource(shape, img, lab);
        int[] patch = {10, 10, 1};
        int[] loader = {20, 20, 1};
        float[] out = new float[100];
        byte[] labels = new byte[100];
        SpatialSampler s = new SpatialSampler(AugmentationOptions.ImageInterpolation.LINEAR,
                AugmentationOptions.LabelInterpolation.NEAREST);
        SpatialMode mode = SpatialMode.slicewise(2);
        // Even sizes: source = 9.5 + (i - 4.5), i.e. box voxel i + 5 = case voxel i + 8.
        s.apply(src, new int[] {3, 3, 0}, loader, patch, mode, SpatialTransform.of(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
                null), 1, out, labels);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                int c = (x + 8) + 30 * (y + 8);
                assertEquals(c, out[x + 10 * y], 1e-3);
                assertEquals(lab[c], labels[x + 10 * y]);
            }
        }
        // 90 degrees: output (x, y) reads box (9.5 - (y - 4.5), 9.5 + (x - 4.5)).
        s.apply(src, new int[] {3, 3, 0}, loader, patch, mode, SpatialTransform.of(SpatialTransform.rotation(2,
                Math.PI / 2), null), 1, out, labels);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                int bx = 14 - y;
                int by = 5 + x;
                int c = (bx + 3) + 30 * (by + 3);
                assertEquals(c, out[x + 10 * y], 1e-3);
                assertEquals(lab[c], labels[x + 10 * y]);
            }
        }
    }

    @Test
    void outsideTheLoaderBoxImagesAreZeroAndLabelsMinusOne() {
        int[] shape = {40, 40, 1};
        float[][] img = new float[1][1600];
        java.util.Arrays.fill(img[0], 5f);
        ArrayPatchSource src = new ArrayPatchSource(shape, img, new byte[1600]);
        int[] patch = {20, 20, 1};
        float[] out = new float[400];
        byte[] labels = new byte[400];
        SpatialSampler s = new SpatialSampler(AugmentationOptions.ImageInterpolation.LINEAR,
                AugmentationOptions.LabelInterpolation.ONE_HOT_LINEAR);
        // Scale 2 on a 20-voxel loader box: the outer half of the output falls outside the box.
        double[] a = {2, 0, 0, 0, 2, 0, 0, 0, 1};
        s.apply(src, new int[] {10, 10, 0}, patch, patch, SpatialMode.slicewise(2), SpatialTransform.of(a, null), 1, out,
                labels);
        assertEquals(5f, out[10 + 20 * 10], 1e-6);
        assertEquals(0, labels[10 + 20 * 10]);
        assertEquals(0f, out[0]);
        assertEquals(-1, labels[0]);
        assertEquals(-1, labels[19 + 20 * 19]);
    }

    @Test
    void elasticFieldHasTheVoxelLevelFieldsStrength() {
        // Smoothed uniform noise (variance 1/3) with a normalized 3D Gaussian of sigma s has standard
        // deviation sqrt(1/3) / (2 sqrt(pi) s)^(3/2) away from the border.
        double sigma = 10;
        double alpha = 900;
        double expected = alpha * Math.sqrt(1.0 / 3) / Math.pow(2 * Math.sqrt(Math.PI) * sigma, 1.5);
        // Many correlation lengths and several fields, so that the estimate itself is good to a few percent.
        int[] patch = {160, 160, 160};
        double sq = 0;
        long count = 0;
        float[][] d = new float[3][160];
        float[] scratch = new float[64];
        for (int k = 0; k < 6; k++) {
            ElasticField f = ElasticField.draw(patch, SpatialMode.volume(), alpha, sigma, new SplittableRandom(k));
            for (int z = 40; z < 120; z += 2) {
                for (int y = 40; y < 120; y += 2) {
                    f.row(y, z, 160, d, scratch);
                    for (int x = 40; x < 120; x += 2) {
                        for (int c = 0; c < 3; c++) {
                            sq += d[c][x] * d[c][x];
                            count++;
                        }
                    }
                }
            }
        }
        double sd = Math.sqrt(sq / count);
        assertEquals(expected, sd, 0.1 * expected, "displacement standard deviation");
    }
}

package io.github.nnunetfiji.train.augment;

import java.util.SplittableRandom;

/**
 * One sample's rotation, scaling and elastic deformation, composed into one mapping from output
 * voxel i to source position in the loader box: {@code src = c' + A (i - c + d(i))}, with c and c'
 * the centres ((P - 1) / 2) of the output patch and the loader box, A = rotation x scale and d the
 * elastic displacement field (zero when off). Slice-wise, A and d act in the plane only.
 */
public final class SpatialTransform {

    /** Row-major 3x3: source offset = A x output offset. */
    final double[] a;
    /** Displacement in output voxels, or null. */
    final ElasticField elastic;

    SpatialTransform(double[] a, ElasticField elastic) {
        this.a = a;
        this.elastic = elastic;
    }

    /**
     * Draws the transform in the reference's order (does it rotate, scale, deform; then angles,
     * scale, field), or returns null when none of the three applies (the loader box's centre is
     * then cut unchanged).
     */
    public static SpatialTransform draw(AugmentationOptions o, SpatialMode mode, double rotationMax, int[] patch,
            SplittableRandom rng) {
        boolean rotate = rng.nextDouble() < o.rotationProbability();
        boolean scale = rng.nextDouble() < o.scalingProbability();
        boolean deform = o.elastic() && rng.nextDouble() < o.elasticProbability();
        if (!rotate && !scale && !deform) {
            return null;
        }
        double[] a = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        if (mode.isVolume()) {
            if (rotate) {
                double ax = uniform(rng, -rotationMax, rotationMax);
                double ay = uniform(rng, -rotationMax, rotationMax);
                double az = uniform(rng, -rotationMax, rotationMax);
                // Rz Ry Rx: about axes 2, 1, 0
                a = multiply(rotation(2, az), multiply(rotation(1, ay), rotation(0, ax)));
            }
        } else if (rotate) {
            a = rotation(mode.sliceAxis(), uniform(rng, -rotationMax, rotationMax));
        }
        if (scale) {
            double s = uniform(rng, o.scaleMin(), o.scaleMax());
            for (int col = 0; col < 3; col++) {
                if (mode.transforms(col)) {
                    for (int row = 0; row < 3; row++) {
                        a[3 * row + col] *= s;
                    }
                }
            }
        }
        ElasticField field = null;
        if (deform) {
            double alphaMax = Double.isNaN(o.elasticAlphaMax()) ? (mode.isVolume() ? 900 : 200) : o.elasticAlphaMax();
            double alpha = uniform(rng, o.elasticAlphaMin(), alphaMax);
            double sigma = uniform(rng, o.elasticSigmaMin(), o.elasticSigmaMax());
            field = ElasticField.draw(patch, mode, alpha, sigma, rng);
        }
        return new SpatialTransform(a, field);
    }

    /** A fixed transform (tests, benchmarks). */
    public static SpatialTransform of(double[] rowMajor3x3, ElasticField elastic) {
        return new SpatialTransform(rowMajor3x3.clone(), elastic);
    }

    static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    /** Rotation by {@code angle} in the plane of the two axes other than {@code axis}. */
    public static double[] rotation(int axis, double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        int p = axis == 0 ? 1 : 0;
        int q = axis == 2 ? 1 : 2;
        double[] m = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        m[3 * p + p] = c;
        m[3 * p + q] = -s;
        m[3 * q + p] = s;
        m[3 * q + q] = c;
        return m;
    }

    static double[] multiply(double[] x, double[] y) {
        double[] r = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double v = 0;
                for (int k = 0; k < 3; k++) {
                    v += x[3 * i + k] * y[3 * k + j];
                }
                r[3 * i + j] = v;
            }
        }
        return r;
    }
}

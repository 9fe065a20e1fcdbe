package io.github.nnunetfiji.engine;

import java.util.Random;

/**
 * Synthetic segmentation task: a bright ball (disc in 2D) of random center and radius in Gaussian
 * noise; label 1 inside, 0 outside. Easy enough to learn in a minute, hard enough that a broken
 * network, loss or optimizer does not reach high Dice.
 */
public final class SphereData {

    private final int[] shape;
    private final Random random;
    private final double noise;

    public SphereData(int[] shape, long seed, double noise) {
        this.shape = shape.clone();
        this.random = new Random(seed);
        this.noise = noise;
    }

    public Batch batch(int n) {
        int dims = shape.length;
        long voxels = TensorLayout.voxels(shape);
        float[] images = new float[(int) (n * voxels)];
        byte[] labels = new byte[(int) (n * voxels)];
        int minEdge = Integer.MAX_VALUE;
        for (int s : shape) {
            minEdge = Math.min(minEdge, s);
        }
        for (int b = 0; b < n; b++) {
            double radius = minEdge * (0.15 + 0.15 * random.nextDouble());
            double[] center = new double[dims];
            for (int a = 0; a < dims; a++) {
                center[a] = radius + random.nextDouble() * (shape[a] - 2 * radius);
            }
            int[] p = new int[dims];
            for (long i = 0; i < voxels; i++) {
                long rest = i;
                double d2 = 0;
                for (int a = 0; a < dims; a++) {
                    p[a] = (int) (rest % shape[a]);
                    rest /= shape[a];
                    double d = p[a] + 0.5 - center[a];
                    d2 += d * d;
                }
                boolean inside = d2 <= radius * radius;
                int idx = (int) (b * voxels + i);
                labels[idx] = (byte) (inside ? 1 : 0);
                images[idx] = (float) ((inside ? 1.0 : 0.0) + noise * random.nextGaussian());
            }
        }
        return new Batch(n, shape, 1, images, labels);
    }

    /** Dice of class 1 between the argmax of two-class probabilities and the labels. */
    public static double foregroundDice(float[] probabilities, byte[] labels) {
        long tp = 0;
        long predicted = 0;
        long truth = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean p = probabilities[2 * i + 1] > probabilities[2 * i];
            boolean t = labels[i] == 1;
            if (p) {
                predicted++;
            }
            if (t) {
                truth++;
            }
            if (p && t) {
                tp++;
            }
        }
        return predicted + truth == 0 ? 1 : 2.0 * tp / (predicted + truth);
    }
}

package io.github.nnunetfiji.engine.tf;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Initial parameter values, computed in Java from the spec's seed and the parameter's name so the
 * same spec always gives the same network, independent of graph construction order or thread count.
 */
final class ParameterInit {

    /** Negative slope of the leaky ReLU; He initialization accounts for it (as the reference does). */
    static final double LEAKY_SLOPE = 0.01;

    enum Kind {
        HE_NORMAL, ZEROS, ONES
    }

    final Kind kind;
    final long fanIn;

    private ParameterInit(Kind kind, long fanIn) {
        this.kind = kind;
        this.fanIn = fanIn;
    }

    static ParameterInit he(long fanIn) {
        return new ParameterInit(Kind.HE_NORMAL, fanIn);
    }

    static ParameterInit zeros() {
        return new ParameterInit(Kind.ZEROS, 0);
    }

    static ParameterInit ones() {
        return new ParameterInit(Kind.ONES, 0);
    }

    float[] values(int size, long seed, String name) {
        float[] v = new float[size];
        switch (kind) {
            case ONES -> Arrays.fill(v, 1f);
            case ZEROS -> {
            }
            case HE_NORMAL -> {
                double std = Math.sqrt(2.0 / (1 + LEAKY_SLOPE * LEAKY_SLOPE) / fanIn);
                SplittableRandom r = new SplittableRandom(seed ^ ((long) name.hashCode() * 0x9E3779B97F4A7C15L));
                for (int i = 0; i < size; i++) {
                    v[i] = (float) (gaussian(r) * std);
                }
            }
            default -> throw new IllegalStateException();
        }
        return v;
    }

    /** Box-Muller; SplittableRandom has no nextGaussian on Java 17. */
    private static double gaussian(SplittableRandom r) {
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}

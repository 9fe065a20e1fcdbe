package io.github.nnunetfiji.inference;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.Predictor;

/** Predictors with known answers, for testing tiling, weighting and mirroring without an engine. */
final class FakePredictors {

    private FakePredictors() {
    }

    static NetworkSpec spec(int dims, int channels, int classes) {
        NetworkSpec s = NetworkSpec.uniform(dims, channels, classes, 1, 4, 4);
        return s.validate();
    }

    /**
     * Softmax of {@code (k+1) * (sum of channels) * gain} per class k: depends on the voxel's own
     * values only, so it commutes with tiling and mirroring.
     */
    static Predictor pointwise(int dims, int channels, int classes, float gain) {
        NetworkSpec spec = spec(dims, channels, classes);
        return new Predictor() {
            @Override
            public NetworkSpec spec() {
                return spec;
            }

            @Override
            public float[] predict(Batch b) {
                int n = (int) (b.size() * b.voxelsPerSample());
                float[] out = new float[n * classes];
                for (int v = 0; v < n; v++) {
                    float s = 0;
                    for (int c = 0; c < channels; c++) {
                        s += b.images()[v * channels + c];
                    }
                    softmax(s * gain, out, v * classes, classes);
                }
                return out;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Expected output of {@link #pointwise} at one voxel. */
    static float[] pointwiseAt(float channelSum, int classes, float gain) {
        float[] p = new float[classes];
        softmax(channelSum * gain, p, 0, classes);
        return p;
    }

    /**
     * Depends on the position within the tile (x fastest flat index) as well as on the value:
     * mirroring changes its output, so test-time augmentation must average flipped passes.
     */
    static Predictor positional(int dims, int channels, int classes) {
        NetworkSpec spec = spec(dims, channels, classes);
        return new Predictor() {
            @Override
            public NetworkSpec spec() {
                return spec;
            }

            @Override
            public float[] predict(Batch b) {
                int n = (int) (b.size() * b.voxelsPerSample());
                float[] out = new float[n * classes];
                for (int v = 0; v < n; v++) {
                    // The position within its own sample: samples of a batch are independent, as in a network.
                    float s = b.images()[v * channels] + 0.01f * (v % b.voxelsPerSample() % 97);
                    softmax(s, out, v * classes, classes);
                }
                return out;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Two classes: class 1 where channel 0 exceeds {@code threshold} (a steep sigmoid). */
    static Predictor threshold(int dims, int channels, float threshold) {
        NetworkSpec spec = spec(dims, channels, 2);
        return new Predictor() {
            @Override
            public NetworkSpec spec() {
                return spec;
            }

            @Override
            public float[] predict(Batch b) {
                int n = (int) (b.size() * b.voxelsPerSample());
                float[] out = new float[n * 2];
                for (int v = 0; v < n; v++) {
                    float p1 = (float) (1 / (1 + Math.exp(-8 * (b.images()[v * channels] - threshold))));
                    out[v * 2] = 1 - p1;
                    out[v * 2 + 1] = p1;
                }
                return out;
            }

            @Override
            public void close() {
            }
        };
    }

    private static void softmax(float s, float[] out, int offset, int classes) {
        double sum = 0;
        double[] e = new double[classes];
        for (int k = 0; k < classes; k++) {
            e[k] = Math.exp((k + 1) * s - classes * Math.abs(s));
            sum += e[k];
        }
        for (int k = 0; k < classes; k++) {
            out[offset + k] = (float) (e[k] / sum);
        }
    }
}

package io.github.nnunetfiji.engine.tf;

import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.engine.TensorLayout;

/**
 * Per-axis vectors of the spec in TensorFlow's channels-last order. Our axes are x, y[, z]; TF's
 * spatial dimensions are (D, H, W) = (z, y, x) (see {@link TensorLayout}).
 */
final class TfLayout {

    final int dims;

    TfLayout(int dims) {
        this.dims = dims;
    }

    /** Strides attribute {@code [1, s_z, s_y, s_x, 1]} (2D: {@code [1, s_y, s_x, 1]}). */
    List<Long> strides(int[] perAxis) {
        List<Long> r = new ArrayList<>();
        r.add(1L);
        for (long v : TensorLayout.toTensorOrder(perAxis)) {
            r.add(v);
        }
        r.add(1L);
        return r;
    }

    /** Convolution filter shape {@code [k_z, k_y, k_x, in, out]}. */
    long[] filterShape(int[] kernel, long in, long out) {
        long[] r = new long[dims + 2];
        long[] k = TensorLayout.toTensorOrder(kernel);
        System.arraycopy(k, 0, r, 0, dims);
        r[dims] = in;
        r[dims + 1] = out;
        return r;
    }

    /** Spatial dimension indices of a batch tensor: 1 .. dims. */
    int[] spatialAxes() {
        int[] a = new int[dims];
        for (int i = 0; i < dims; i++) {
            a[i] = i + 1;
        }
        return a;
    }

    /** Batch placeholder shape: batch and spatial sizes unknown, channels fixed. */
    long[] batchShape(long channels) {
        long[] r = new long[dims + 2];
        java.util.Arrays.fill(r, -1);
        r[dims + 1] = channels;
        return r;
    }

    static long volume(int[] v) {
        long p = 1;
        for (int x : v) {
            p *= x;
        }
        return p;
    }
}

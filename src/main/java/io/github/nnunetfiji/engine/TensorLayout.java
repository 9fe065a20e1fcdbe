package io.github.nnunetfiji.engine;

/**
 * The one memory layout of batches, probabilities and labels crossing the engine interface.
 *
 * <p>Batch first, channels last, and within a sample axis x varies fastest, as in
 * {@link io.github.nnunetfiji.image.AxisOrder}. The flat index of sample {@code n}, voxel
 * {@code (x, y, z)}, channel {@code c} of a batch with spatial shape {@code (X, Y, Z)} and
 * {@code C} channels is
 *
 * <pre>  (((n * Z + z) * Y + y) * X + x) * C + c</pre>
 *
 * (2D: drop z and Z). Engines that name dimensions the TensorFlow way therefore see
 * {@code [N, Z, Y, X, C]} (NDHWC with D = z, H = y, W = x) or {@code [N, Y, X, C]} (NHWC): their
 * spatial dimension {@code i} (0-based, after the batch) is our axis {@code dims - 1 - i}. Every
 * per-axis vector (kernel sizes, strides) is reversed the same way on the way in.
 */
public final class TensorLayout {

    private TensorLayout() {
    }

    /** Number of voxels of a spatial shape. */
    public static long voxels(int[] spatialShape) {
        long v = 1;
        for (int s : spatialShape) {
            v *= s;
        }
        return v;
    }

    /** Flat index of (n, position in x, y[, z] order, c). */
    public static long index(int[] spatialShape, int channels, int n, int[] position, int c) {
        long i = n;
        for (int a = spatialShape.length - 1; a >= 0; a--) {
            i = i * spatialShape[a] + position[a];
        }
        return i * channels + c;
    }

    /** Our per-axis vector (x, y[, z]) in TensorFlow's spatial order (z, y, x). */
    public static long[] toTensorOrder(int[] perAxis) {
        long[] r = new long[perAxis.length];
        for (int i = 0; i < perAxis.length; i++) {
            r[i] = perAxis[perAxis.length - 1 - i];
        }
        return r;
    }

    /** Full tensor shape {@code [n, (z,) y, x, channels]} of a batch. */
    public static long[] tensorShape(int n, int[] spatialShape, int channels) {
        long[] r = new long[spatialShape.length + 2];
        r[0] = n;
        long[] s = toTensorOrder(spatialShape);
        System.arraycopy(s, 0, r, 1, s.length);
        r[r.length - 1] = channels;
        return r;
    }
}

package io.github.nnunetfiji.preprocess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.util.CanceledException;

/**
 * Resamples a 3D float volume (flat array, {@link AxisOrder}: x fastest) to a new shape, with a
 * spline order per axis: 3 for images, 0 for label maps and for the out-of-plane axis of
 * anisotropic data. A tensor-product spline is separable, so resampling one axis at a time gives
 * the same result as the 3D interpolation of {@code scipy.ndimage.zoom} at a fraction of the work
 * (4 taps per axis instead of 64 per voxel). Lines are spread over threads.
 */
public final class VolumeResampler {

    private final int threads;

    /** @param threads worker threads (1 = run in the calling thread) */
    public VolumeResampler(int threads) {
        this.threads = Math.max(1, threads);
    }

    /**
     * Resamples {@code data} of {@code shape} to {@code newShape}.
     *
     * @param orders spline order (0, 1 or 3) per axis
     * @return a new array of {@code newShape}, or {@code data} itself if the shape does not change
     */
    public float[] resample(float[] data, int[] shape, int[] newShape, int[] orders) {
        check(data, shape, newShape, orders);
        // Shrinking axes first keeps the intermediate volumes small.
        Integer[] axes = {0, 1, 2};
        Arrays.sort(axes, (a, b) -> Double.compare((double) newShape[a] / shape[a], (double) newShape[b] / shape[b]));
        float[] cur = data;
        int[] curShape = shape.clone();
        for (int axis : axes) {
            if (curShape[axis] == newShape[axis]) {
                continue;
            }
            cur = resampleAxis(cur, curShape, axis, newShape[axis], orders[axis]);
            curShape[axis] = newShape[axis];
        }
        return cur;
    }

    /**
     * Resamples one image channel as the reference does ({@code skimage.transform.resize} with its
     * default {@code clip=True}): a cubic spline overshoots at edges (ringing), and the reference
     * clamps the result to the range of what it resized. Without a separate axis that is the whole
     * channel's range. With one, the reference resizes every slice across that axis in-plane and
     * clamps it to that slice's own range, then resamples along the axis with
     * {@code outOfPlaneOrder} without clamping.
     *
     * @param order           spline order in-plane (all axes without a separate axis)
     * @param separateAxis    the axis resampled on its own (see {@link ResamplingRule#separateAxis}), or -1
     * @param outOfPlaneOrder spline order along {@code separateAxis}
     * @return a new array of {@code newShape}, or {@code data} itself if the shape does not change
     */
    public float[] resampleImage(float[] data, int[] shape, int[] newShape, int order, int separateAxis,
            int outOfPlaneOrder) {
        check(data, shape, newShape, new int[] {order, order, order});
        if (Arrays.equals(shape, newShape)) {
            return data;
        }
        if (separateAxis < 0) {
            float[] out = resample(data, shape, newShape, new int[] {order, order, order});
            float[] range = range(data);
            clamp(out, range[0], range[1]);
            return out;
        }
        int a = separateAxis;
        int[] inPlaneOrders = {order, order, order};
        inPlaneOrders[a] = 0; // the separate axis keeps its size in the in-plane step
        float[] cur = data;
        int[] curShape = shape.clone();
        // Nearest neighbour along the axis copies whole slices, so it commutes with the in-plane
        // step and its clamp; when it shrinks the volume, doing it first saves work.
        boolean axisFirst = outOfPlaneOrder == 0 && newShape[a] < shape[a];
        if (axisFirst) {
            int[] orders = {0, 0, 0};
            int[] axisShape = curShape.clone();
            axisShape[a] = newShape[a];
            cur = resample(cur, curShape, axisShape, orders);
            curShape = axisShape;
        }
        float[][] ranges = sliceRanges(cur, curShape, a);
        int[] inPlaneShape = newShape.clone();
        inPlaneShape[a] = curShape[a];
        cur = resample(cur, curShape, inPlaneShape, inPlaneOrders);
        clampSlices(cur, inPlaneShape, a, ranges);
        curShape = inPlaneShape;
        if (!axisFirst && curShape[a] != newShape[a]) {
            int[] orders = {0, 0, 0};
            orders[a] = outOfPlaneOrder;
            cur = resample(cur, curShape, newShape, orders);
        }
        return cur;
    }

    /** {min, max} of the values. */
    private static float[] range(float[] v) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return new float[] {min, max};
    }

    private static void clamp(float[] v, float min, float max) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.min(Math.max(v[i], min), max);
        }
    }

    /** Per slice across {@code axis}: {min, max} of its values. */
    private static float[][] sliceRanges(float[] v, int[] shape, int axis) {
        float[][] r = new float[shape[axis]][];
        for (int k = 0; k < r.length; k++) {
            r[k] = new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        }
        int i = 0;
        for (int z = 0; z < shape[2]; z++) {
            for (int y = 0; y < shape[1]; y++) {
                for (int x = 0; x < shape[0]; x++, i++) {
                    float[] s = r[axis == 0 ? x : axis == 1 ? y : z];
                    s[0] = Math.min(s[0], v[i]);
                    s[1] = Math.max(s[1], v[i]);
                }
            }
        }
        return r;
    }

    private static void clampSlices(float[] v, int[] shape, int axis, float[][] ranges) {
        int i = 0;
        for (int z = 0; z < shape[2]; z++) {
            for (int y = 0; y < shape[1]; y++) {
                for (int x = 0; x < shape[0]; x++, i++) {
                    float[] s = ranges[axis == 0 ? x : axis == 1 ? y : z];
                    v[i] = Math.min(Math.max(v[i], s[0]), s[1]);
                }
            }
        }
    }

    private static void check(float[] data, int[] shape, int[] newShape, int[] orders) {
        if (shape.length != 3 || newShape.length != 3 || orders.length != 3) {
            throw new IllegalArgumentException("Shapes and orders must have 3 axes (x, y, z)");
        }
        long n = (long) shape[0] * shape[1] * shape[2];
        if (n != data.length) {
            throw new IllegalArgumentException("Data holds " + data.length + " values, shape " + Arrays.toString(shape)
                    + " needs " + n);
        }
        long m = (long) newShape[0] * newShape[1] * newShape[2];
        if (m > Integer.MAX_VALUE - 8 || m <= 0) {
            throw new IllegalArgumentException("New shape " + Arrays.toString(newShape) + " is not a valid volume size");
        }
    }

    /** Lines resampled together along a strided axis: neighbours in x, so rows stay sequential. */
    private static final int BLOCK = 64;

    private float[] resampleAxis(float[] in, int[] shape, int axis, int m, int order) {
        int n = shape[axis];
        int[] outShape = shape.clone();
        outShape[axis] = m;
        float[] out = new float[outShape[0] * outShape[1] * outShape[2]];
        long[] inStrides = strides(shape);
        long[] outStrides = strides(outShape);
        // Work items: along x, one line per (y, z); along y or z, blocks of up to BLOCK lines
        // neighbouring in x, per index of the remaining axis.
        int other = axis == 2 ? 1 : 2;
        int blocksPerRow = axis == 0 ? 1 : (shape[0] + BLOCK - 1) / BLOCK;
        int rows = axis == 0 ? shape[1] * shape[2] : shape[other];
        int items = rows * blocksPerRow;
        java.util.function.BiConsumer<AxisResampler, Integer> work = (r, item) -> {
            if (axis == 0) {
                int y = item % shape[1];
                int z = item / shape[1];
                r.resample(in, y * inStrides[1] + z * inStrides[2], 1, 1, out, y * outStrides[1] + z * outStrides[2], 1);
            } else {
                int row = item / blocksPerRow;
                int x0 = (item % blocksPerRow) * BLOCK;
                int w = Math.min(BLOCK, shape[0] - x0);
                r.resample(in, x0 + row * inStrides[other], inStrides[axis], w, out, x0 + row * outStrides[other],
                        outStrides[axis]);
            }
        };
        int workers = Math.min(threads, items);
        if (workers <= 1) {
            AxisResampler r = new AxisResampler(n, m, order);
            for (int item = 0; item < items; item++) {
                work.accept(r, item);
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "nnunet-resample");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            for (int wk = 0; wk < workers; wk++) {
                fs.add(pool.submit(() -> {
                    AxisResampler r = new AxisResampler(n, m, order);
                    for (int item = next.getAndIncrement(); item < items; item = next.getAndIncrement()) {
                        work.accept(r, item);
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CanceledException();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Resampling failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private static long[] strides(int[] shape) {
        return new long[] {1, shape[0], (long) shape[0] * shape[1]};
    }
}

package io.github.nnunetfiji.io.torch;

import java.util.Arrays;

/**
 * A tensor of a checkpoint: a view (offset, shape, strides in elements) of a storage, as
 * {@code torch._utils._rebuild_tensor_v2} makes it. The view is checked against the storage when it
 * is made; {@link #values()} copies its elements in row-major order (the last axis fastest), as
 * floats whatever the stored type.
 */
public final class TorchTensor {

    /** At most this many axes: a convolution weight has 5. */
    static final int MAX_AXES = 8;

    private final TorchStorage storage;
    private final long offset;
    private final long[] shape;
    private final long[] stride;
    private final int size;

    TorchTensor(TorchStorage storage, long offset, long[] shape, long[] stride) {
        if (shape.length != stride.length || shape.length > MAX_AXES) {
            throw new IllegalArgumentException("a tensor of shape " + Arrays.toString(shape) + " with strides "
                    + Arrays.toString(stride));
        }
        long n = 1;
        long last = offset;
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] < 0 || stride[a] < 0) {
                throw new IllegalArgumentException("a tensor with a negative size or stride ("
                        + Arrays.toString(shape) + ", strides " + Arrays.toString(stride) + ")");
            }
            n = Math.multiplyExact(n, shape[a]);
            if (shape[a] > 0) {
                last = Math.addExact(last, Math.multiplyExact(shape[a] - 1, stride[a]));
            }
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a tensor of " + n + " elements, more than a Java array holds");
        }
        if (offset < 0 || n > 0 && last >= storage.elements) {
            throw new IllegalArgumentException("a tensor of shape " + Arrays.toString(shape) + " (strides "
                    + Arrays.toString(stride) + ", offset " + offset + ") reaching beyond its storage "
                    + storage.key + " of " + storage.elements + " elements");
        }
        this.storage = storage;
        this.offset = offset;
        this.shape = shape.clone();
        this.stride = stride.clone();
        this.size = (int) n;
    }

    public TorchDtype dtype() {
        return storage.dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements. */
    public int size() {
        return size;
    }

    /** The elements in row-major order, as floats; a new array each call. */
    public float[] values() {
        return gather();
    }

    /** Whether both are views of the same elements of the same storage. */
    public boolean sameView(TorchTensor o) {
        return storage == o.storage && offset == o.offset && Arrays.equals(shape, o.shape)
                && Arrays.equals(stride, o.stride);
    }

    private float[] gather() {
        float[] v = new float[size];
        if (size == 0) {
            return v;
        }
        long[] index = new long[shape.length];
        long at = offset;
        for (int i = 0; i < size; i++) {
            v[i] = storage.get(at);
            // Odometer over the axes, last fastest.
            for (int a = shape.length - 1; a >= 0; a--) {
                if (++index[a] < shape[a]) {
                    at += stride[a];
                    break;
                }
                at -= (shape[a] - 1) * stride[a];
                index[a] = 0;
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return "tensor " + dtype().name().toLowerCase() + Arrays.toString(shape);
    }
}

package io.github.nnunetfiji.engine;

import java.util.Arrays;

/**
 * Images (and, for training, labels) of {@code size} samples of one spatial shape, laid out as
 * {@link TensorLayout} says. Labels hold one class index per voxel as an unsigned byte
 * ({@code 0 .. classes-1}, at most 255 classes), same order as the images without the channel.
 * Arrays are shared, not copied.
 */
public final class Batch {

    private final int size;
    private final int[] shape;
    private final int channels;
    private final float[] images;
    private final byte[] labels;

    public Batch(int size, int[] shape, int channels, float[] images, byte[] labels) {
        if (size < 1 || channels < 1) {
            throw new IllegalArgumentException("A batch needs at least one sample and one channel");
        }
        long voxels = TensorLayout.voxels(shape);
        if (images.length != size * voxels * channels) {
            throw new IllegalArgumentException("images hold " + images.length + " values, expected " + size + " x "
                    + Arrays.toString(shape) + " x " + channels);
        }
        if (labels != null && labels.length != size * voxels) {
            throw new IllegalArgumentException("labels hold " + labels.length + " values, expected " + size * voxels);
        }
        this.size = size;
        this.shape = shape.clone();
        this.channels = channels;
        this.images = images;
        this.labels = labels;
    }

    /** A batch without labels, for prediction. */
    public static Batch images(int size, int[] shape, int channels, float[] images) {
        return new Batch(size, shape, channels, images, null);
    }

    public int size() {
        return size;
    }

    /** Spatial shape in axis order x, y[, z]. */
    public int[] shape() {
        return shape.clone();
    }

    public int channels() {
        return channels;
    }

    public float[] images() {
        return images;
    }

    /** Class index per voxel (unsigned byte), or null for a prediction batch. */
    public byte[] labels() {
        return labels;
    }

    public long voxelsPerSample() {
        return TensorLayout.voxels(shape);
    }
}

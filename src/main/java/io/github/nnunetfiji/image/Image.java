package io.github.nnunetfiji.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * The internal image model used by every stage: one 3D ImgLib2 image per channel, all of the same
 * shape, plus their {@link Geometry}. Axes follow {@link AxisOrder}: always {@code x, y, z}, with
 * {@code z = 1} for 2D images. Channels keep the pixel type they were read with (uint8, int16,
 * float32, ...); stages convert to float where they compute.
 */
public final class Image {

    private final List<RandomAccessibleInterval<? extends RealType<?>>> channels;
    private final Geometry geometry;
    private final long[] shape;

    public Image(List<? extends RandomAccessibleInterval<? extends RealType<?>>> channels, Geometry geometry) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("An image needs at least one channel");
        }
        this.shape = shapeOf(channels.get(0));
        for (int c = 1; c < channels.size(); c++) {
            long[] s = shapeOf(channels.get(c));
            if (!Arrays.equals(s, shape)) {
                throw new IllegalArgumentException("Channel " + c + " has shape " + AxisOrder.format(s)
                        + " but channel 0 has " + AxisOrder.format(shape));
            }
        }
        this.channels = Collections.unmodifiableList(new ArrayList<>(channels));
        this.geometry = geometry;
    }

    /** One-channel image. */
    public static Image of(RandomAccessibleInterval<? extends RealType<?>> channel, Geometry geometry) {
        return new Image(List.of(channel), geometry);
    }

    private static long[] shapeOf(RandomAccessibleInterval<?> rai) {
        if (rai.numDimensions() != AxisOrder.SPATIAL_DIMS) {
            throw new IllegalArgumentException("Image channels must be 3D (x, y, z; z = 1 for 2D), got "
                    + rai.numDimensions() + " dimensions");
        }
        long[] s = new long[3];
        for (int d = 0; d < 3; d++) {
            if (rai.min(d) != 0) {
                throw new IllegalArgumentException("Image channels must start at index 0");
            }
            s[d] = rai.dimension(d);
        }
        return s;
    }

    public int channelCount() {
        return channels.size();
    }

    public RandomAccessibleInterval<? extends RealType<?>> channel(int c) {
        return channels.get(c);
    }

    public List<RandomAccessibleInterval<? extends RealType<?>>> channels() {
        return channels;
    }

    public Geometry geometry() {
        return geometry;
    }

    /** Shape in {@link AxisOrder} ({@code x, y, z}). */
    public long[] shape() {
        return shape.clone();
    }

    public long voxelCount() {
        return shape[0] * shape[1] * shape[2];
    }

    /** True if the image has one slice along z. */
    public boolean is2D() {
        return shape[2] == 1;
    }

    /** Same pixels, another geometry. */
    public Image withGeometry(Geometry g) {
        return new Image(channels, g);
    }

    /** Name of the pixel type of channel 0, e.g. {@code UnsignedByteType}. */
    public String pixelTypeName() {
        return PixelTypes.nameOf(channels.get(0));
    }

    @Override
    public String toString() {
        return "Image[" + AxisOrder.format(shape) + ", " + channels.size() + " channel(s), " + pixelTypeName()
                + ", spacing " + AxisOrder.format(geometry.spacing()) + "]";
    }
}

package io.github.nnunetfiji.image;

import java.util.Arrays;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.view.Views;

/**
 * A label map: one 3D integer image ({@link AxisOrder}) plus its {@link Geometry}. Value 0 is
 * background; other values are the classes declared by the data set.
 */
public final class LabelImage {

    /**
     * The largest label value the pipeline trains on: preprocessed cases store labels as signed
     * bytes (negative values are marks). Here, below both, so that checking a data set needs no
     * knowledge of the store.
     */
    public static final int MAX_PIPELINE_LABEL = Byte.MAX_VALUE;

    private final RandomAccessibleInterval<? extends IntegerType<?>> labels;
    private final Geometry geometry;

    public LabelImage(RandomAccessibleInterval<? extends IntegerType<?>> labels, Geometry geometry) {
        if (labels.numDimensions() != AxisOrder.SPATIAL_DIMS) {
            throw new IllegalArgumentException("Label maps must be 3D (x, y, z; z = 1 for 2D)");
        }
        this.labels = labels;
        this.geometry = geometry;
    }

    /**
     * Interprets a one-channel image as a label map. Integer pixel types are used as they are;
     * floating-point pixels must all be whole numbers (some tools store labels as float) and are
     * converted to the smallest unsigned integer type that holds them.
     *
     * @throws IllegalArgumentException if the image has several channels, or non-integer,
     *         negative or non-finite values
     */
    @SuppressWarnings("unchecked")
    public static LabelImage fromImage(Image image) {
        if (image.channelCount() != 1) {
            throw new IllegalArgumentException("A label map has one channel, this image has " + image.channelCount());
        }
        RandomAccessibleInterval<? extends RealType<?>> ch = image.channel(0);
        if (ch.getType() instanceof IntegerType) {
            return new LabelImage((RandomAccessibleInterval<? extends IntegerType<?>>) ch, image.geometry());
        }
        double max = 0;
        for (RealType<?> t : Views.flatIterable(ch)) {
            double v = t.getRealDouble();
            if (!Double.isFinite(v) || v < 0 || v != Math.rint(v)) {
                throw new IllegalArgumentException("Label maps must hold whole numbers >= 0, found " + v);
            }
            max = Math.max(max, v);
        }
        long[] shape = image.shape();
        if (max < 256) {
            ArrayImg<UnsignedByteType, ByteArray> out = ArrayImgs.unsignedBytes(shape);
            copy(ch, out);
            return new LabelImage(out, image.geometry());
        } else if (max < 65536) {
            ArrayImg<UnsignedShortType, ShortArray> out = ArrayImgs.unsignedShorts(shape);
            copy(ch, out);
            return new LabelImage(out, image.geometry());
        } else if (max <= Integer.MAX_VALUE) {
            ArrayImg<IntType, IntArray> out = ArrayImgs.ints(shape);
            copy(ch, out);
            return new LabelImage(out, image.geometry());
        }
        throw new IllegalArgumentException("Label value " + max + " is too large");
    }

    private static <T extends IntegerType<T>> void copy(RandomAccessibleInterval<? extends RealType<?>> in,
            RandomAccessibleInterval<T> out) {
        Cursor<? extends RealType<?>> ci = Views.flatIterable(in).cursor();
        Cursor<T> co = Views.flatIterable(out).cursor();
        while (ci.hasNext()) {
            co.next().setInteger((long) ci.next().getRealDouble());
        }
    }

    public RandomAccessibleInterval<? extends IntegerType<?>> labels() {
        return labels;
    }

    public Geometry geometry() {
        return geometry;
    }

    public long[] shape() {
        long[] s = new long[3];
        labels.dimensions(s);
        return s;
    }

    /** As a one-channel {@link Image} (same pixels, no copy). */
    public Image asImage() {
        return Image.of(labels, geometry);
    }

    /**
     * Voxel count per label value, indexed by value (length = max value + 1). Negative values are
     * rejected.
     */
    public long[] histogram() {
        long[] counts = new long[256];
        for (IntegerType<?> t : Views.flatIterable(labels)) {
            long v = t.getIntegerLong();
            if (v < 0) {
                throw new IllegalArgumentException("Label maps must not hold negative values, found " + v);
            }
            if (v >= counts.length) {
                if (v > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("Label value " + v + " is too large");
                }
                counts = Arrays.copyOf(counts, (int) Math.max(v + 1, counts.length * 2L));
            }
            counts[(int) v]++;
        }
        int last = counts.length - 1;
        while (last > 0 && counts[last] == 0) {
            last--;
        }
        return Arrays.copyOf(counts, last + 1);
    }
}

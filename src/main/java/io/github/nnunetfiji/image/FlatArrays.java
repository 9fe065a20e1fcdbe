package io.github.nnunetfiji.image;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Copies 3D images into flat primitive arrays in {@link AxisOrder} ({@code x} fastest), the form
 * the compute-heavy stages work on.
 */
public final class FlatArrays {

    private FlatArrays() {
    }

    /** Number of voxels, checked to fit one Java array. */
    public static int size(RandomAccessibleInterval<?> rai) {
        long n = 1;
        for (int d = 0; d < rai.numDimensions(); d++) {
            n *= rai.dimension(d);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Image of " + n + " voxels is too large for one array (limit 2^31)");
        }
        return (int) n;
    }

    /** The voxels as float, x fastest. */
    @SuppressWarnings("unchecked")
    public static float[] toFloats(RandomAccessibleInterval<? extends RealType<?>> rai) {
        int n = size(rai);
        if (rai instanceof ArrayImg<?, ?> img && img.firstElement() instanceof FloatType) {
            return ((ArrayImg<FloatType, FloatArray>) img).update(null).getCurrentStorageArray().clone();
        }
        float[] out = new float[n];
        Cursor<? extends RealType<?>> c = Views.flatIterable(rai).cursor();
        for (int i = 0; i < n; i++) {
            out[i] = c.next().getRealFloat();
        }
        return out;
    }

    /**
     * The labels as bytes, x fastest.
     *
     * @throws IllegalArgumentException if a value is negative or above {@code maxLabel}
     */
    public static byte[] toLabelBytes(RandomAccessibleInterval<? extends IntegerType<?>> rai, int maxLabel) {
        int n = size(rai);
        byte[] out = new byte[n];
        Cursor<? extends IntegerType<?>> c = Views.flatIterable(rai).cursor();
        for (int i = 0; i < n; i++) {
            long v = c.next().getIntegerLong();
            if (v < 0 || v > maxLabel) {
                throw new IllegalArgumentException("Label value " + v + " is outside 0.." + maxLabel);
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** Shape of a 3D image as ints. */
    public static int[] shape(RandomAccessibleInterval<?> rai) {
        size(rai);
        int[] s = new int[rai.numDimensions()];
        for (int d = 0; d < s.length; d++) {
            s[d] = (int) rai.dimension(d);
        }
        return s;
    }
}

package io.github.nnunetfiji.image;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Copies 3D images into fresh flat primitive arrays in {@link AxisOrder} ({@code x} fastest), the
 * form the compute-heavy stages work on. Images read from files are array images: their storage
 * is converted directly, far faster than through a cursor; other images go through one.
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

    /** Shape of an image as ints. */
    public static int[] shape(RandomAccessibleInterval<?> rai) {
        size(rai);
        int[] s = new int[rai.numDimensions()];
        for (int d = 0; d < s.length; d++) {
            s[d] = (int) rai.dimension(d);
        }
        return s;
    }

    /** The voxels as float, x fastest, in a new array. */
    public static float[] toFloats(RandomAccessibleInterval<? extends RealType<?>> rai) {
        float[] f = floatsSharing(rai);
        return f == storage(rai) ? f.clone() : f;
    }

    /**
     * The voxels as float, x fastest, without a copy where the image already is a float array:
     * the result may then be the image's own storage. For callers that own the image and drop it
     * afterwards (it halves their peak memory); everyone else uses {@link #toFloats}.
     */
    public static float[] floatsSharing(RandomAccessibleInterval<? extends RealType<?>> rai) {
        Object storage = storage(rai);
        Object type = rai.getType();
        if (storage instanceof float[] f && type instanceof FloatType) {
            return f;
        }
        if (storage instanceof byte[] b && (type instanceof UnsignedByteType || type instanceof ByteType)) {
            float[] out = new float[b.length];
            boolean unsigned = type instanceof UnsignedByteType;
            for (int i = 0; i < b.length; i++) {
                out[i] = unsigned ? b[i] & 0xff : b[i];
            }
            return out;
        }
        if (storage instanceof short[] s && (type instanceof UnsignedShortType || type instanceof ShortType)) {
            float[] out = new float[s.length];
            boolean unsigned = type instanceof UnsignedShortType;
            for (int i = 0; i < s.length; i++) {
                out[i] = unsigned ? s[i] & 0xffff : s[i];
            }
            return out;
        }
        if (storage instanceof int[] a && type instanceof IntType) {
            float[] out = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i];
            }
            return out;
        }
        if (storage instanceof double[] d && type instanceof DoubleType) {
            float[] out = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) d[i];
            }
            return out;
        }
        float[] out = new float[size(rai)];
        Cursor<? extends RealType<?>> c = Views.flatIterable(rai).cursor();
        for (int i = 0; c.hasNext(); i++) {
            out[i] = c.next().getRealFloat();
        }
        return out;
    }

    /** The values of a label map as ints, x fastest, in a new array. */
    public static int[] toInts(RandomAccessibleInterval<? extends IntegerType<?>> rai) {
        Object storage = storage(rai);
        Object type = rai.getType();
        if (storage instanceof byte[] b && (type instanceof UnsignedByteType || type instanceof ByteType)) {
            int[] out = new int[b.length];
            boolean unsigned = type instanceof UnsignedByteType;
            for (int i = 0; i < b.length; i++) {
                out[i] = unsigned ? b[i] & 0xff : b[i];
            }
            return out;
        }
        if (storage instanceof short[] s && (type instanceof UnsignedShortType || type instanceof ShortType)) {
            int[] out = new int[s.length];
            boolean unsigned = type instanceof UnsignedShortType;
            for (int i = 0; i < s.length; i++) {
                out[i] = unsigned ? s[i] & 0xffff : s[i];
            }
            return out;
        }
        if (storage instanceof int[] a && type instanceof IntType) {
            return a.clone();
        }
        int[] out = new int[size(rai)];
        Cursor<? extends IntegerType<?>> c = Views.flatIterable(rai).cursor();
        for (int i = 0; c.hasNext(); i++) {
            long v = c.next().getIntegerLong();
            if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
                throw new IllegalArgumentException("Label value " + v + " is out of range");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /**
     * The labels as bytes, x fastest.
     *
     * @throws IllegalArgumentException if a value is negative or above {@code maxLabel}
     */
    public static byte[] toLabelBytes(RandomAccessibleInterval<? extends IntegerType<?>> rai, int maxLabel) {
        if (storage(rai) instanceof byte[] b && rai.getType() instanceof UnsignedByteType) {
            // The common case (uint8 label files): a check and a copy, no cursor.
            for (byte v : b) {
                if ((v & 0xff) > maxLabel) {
                    throw new IllegalArgumentException("Label value " + (v & 0xff) + " is outside 0.." + maxLabel);
                }
            }
            return b.clone();
        }
        byte[] out = new byte[size(rai)];
        Cursor<? extends IntegerType<?>> c = Views.flatIterable(rai).cursor();
        for (int i = 0; c.hasNext(); i++) {
            long v = c.next().getIntegerLong();
            if (v < 0 || v > maxLabel) {
                throw new IllegalArgumentException("Label value " + v + " is outside 0.." + maxLabel);
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** A float image over {@code data} (x fastest), without a copy: writes go through to the array. */
    public static ArrayImg<FloatType, ?> floatView(float[] data, int[] shape) {
        checkLength(data.length, shape);
        return ArrayImgs.floats(data, toLong(shape));
    }

    /** A signed byte image over {@code data} (x fastest), without a copy (stored labels; -1 allowed). */
    public static ArrayImg<ByteType, ?> byteView(byte[] data, int[] shape) {
        checkLength(data.length, shape);
        return ArrayImgs.bytes(data, toLong(shape));
    }

    /** An unsigned byte image over {@code data} (x fastest), without a copy (label maps 0..255). */
    public static ArrayImg<UnsignedByteType, ?> unsignedByteView(byte[] data, int[] shape) {
        checkLength(data.length, shape);
        return ArrayImgs.unsignedBytes(data, toLong(shape));
    }

    private static void checkLength(int length, int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n != length) {
            throw new IllegalArgumentException("an array of " + length + " values does not fill a shape of " + n
                    + " voxels");
        }
    }

    private static long[] toLong(int[] shape) {
        long[] l = new long[shape.length];
        for (int d = 0; d < l.length; d++) {
            l[d] = shape[d];
        }
        return l;
    }

    /** The primitive storage array of a plain array image, or null for any other image. */
    private static Object storage(RandomAccessibleInterval<?> rai) {
        if (rai instanceof ArrayImg<?, ?> img && img.update(null) instanceof ArrayDataAccess<?> access) {
            Object a = access.getCurrentStorageArray();
            return java.lang.reflect.Array.getLength(a) == size(rai) ? a : null;
        }
        return null;
    }
}

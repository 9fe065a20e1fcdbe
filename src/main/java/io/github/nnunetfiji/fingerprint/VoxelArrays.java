package io.github.nnunetfiji.fingerprint;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
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

import io.github.nnunetfiji.image.AxisOrder;

/**
 * Flat primitive copies of image channels, x fastest ({@link AxisOrder}), for the loops of the
 * fingerprint. Images read from files are array images: their storage is converted directly, far
 * faster than through a cursor; other images go through one.
 */
final class VoxelArrays {

    private VoxelArrays() {
    }

    /**
     * The voxels of a channel as floats.
     *
     * @param rai a 3D channel starting at 0
     * @return its values, x fastest; the image's own array when it already is a float array (do not modify)
     */
    static float[] floats(RandomAccessibleInterval<? extends RealType<?>> rai) {
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

    /**
     * The values of a label map as ints.
     *
     * @param rai a 3D integer image starting at 0
     * @return its values, x fastest (a fresh array)
     */
    static int[] ints(RandomAccessibleInterval<? extends IntegerType<?>> rai) {
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

    /** The primitive storage array of a plain array image, or null for any other image. */
    private static Object storage(RandomAccessibleInterval<?> rai) {
        if (rai instanceof ArrayImg<?, ?> img && img.update(null) instanceof ArrayDataAccess<?> access) {
            Object a = access.getCurrentStorageArray();
            return java.lang.reflect.Array.getLength(a) == size(rai) ? a : null;
        }
        return null;
    }

    private static int size(RandomAccessibleInterval<?> rai) {
        long n = 1;
        for (int d = 0; d < rai.numDimensions(); d++) {
            n *= rai.dimension(d);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Images of more than 2^31 voxels are not supported (" + n + " voxels)");
        }
        return (int) n;
    }
}

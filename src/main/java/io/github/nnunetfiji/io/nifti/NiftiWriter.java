package io.github.nnunetfiji.io.nifti;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.util.AtomicFiles;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/** Writing side of {@link NiftiIO}. */
final class NiftiWriter {

    private static final int CHUNK = 1 << 20;
    private static final int MAX_DIM = Short.MAX_VALUE;
    /** xform code written for sform and qform: NIFTI_XFORM_SCANNER_ANAT. */
    private static final int XFORM_CODE = 1;

    private NiftiWriter() {
    }

    static void write(Image img, Path p, NiftiDataType type, int level) throws IOException {
        if (!NiftiIO.isNifti(p)) {
            throw new IllegalArgumentException("Cannot write " + p + " as NIfTI: the file name must end in .nii or .nii.gz.");
        }
        long[] shape = img.shape();
        for (int d = 0; d < 3; d++) {
            if (shape[d] > MAX_DIM) {
                throw new IllegalArgumentException("Cannot write " + p + ": the image is " + AxisOrder.format(shape)
                        + " voxels, and NIfTI-1 allows at most " + MAX_DIM + " along an axis ("
                        + AxisOrder.name(d) + " has " + shape[d] + "). Crop or downsample it, or save it as TIFF.");
            }
        }
        if (img.channelCount() > MAX_DIM) {
            throw new IllegalArgumentException("Cannot write " + p + ": it has " + img.channelCount()
                    + " channels, and NIfTI-1 allows at most " + MAX_DIM + ".");
        }
        byte[] header = NiftiHeader.encode(shape, img.channelCount(), img.geometry(), type, XFORM_CODE);
        boolean gz = p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
        AtomicFiles.write(p, out -> {
            OutputStream os = gz ? new LevelGzipOutputStream(out, 1 << 16, level) : out;
            os.write(header);
            byte[] buf = new byte[CHUNK];
            for (int c = 0; c < img.channelCount(); c++) {
                writeChannel(os, img.channel(c), type, buf, p, c);
            }
            if (gz) {
                ((GZIPOutputStream) os).finish();
            }
        });
    }

    /** GZIPOutputStream with a chosen deflate level. */
    private static final class LevelGzipOutputStream extends GZIPOutputStream {
        LevelGzipOutputStream(OutputStream out, int size, int level) throws IOException {
            super(out, size);
            def.setLevel(level);
        }
    }

    private static void writeChannel(OutputStream os, RandomAccessibleInterval<? extends RealType<?>> ch,
            NiftiDataType type, byte[] buf, Path p, int c) throws IOException {
        Object array = storageArray(ch, type);
        if (array != null) {
            writeArray(os, array, type, buf);
        } else {
            writeConverted(os, ch, type, buf, p, c);
        }
    }

    /**
     * The primitive array behind a channel whose pixel type is exactly {@code type}'s, or
     * {@code null} (then values are converted voxel by voxel).
     */
    private static Object storageArray(RandomAccessibleInterval<? extends RealType<?>> ch, NiftiDataType type) {
        if (!(ch instanceof ArrayImg) || NiftiDataType.forPixelType(ch.getType()) != type) {
            return null;
        }
        Object access = ((ArrayImg<?, ?>) ch).update(null);
        if (!(access instanceof ArrayDataAccess)) {
            return null;
        }
        Object array = ((ArrayDataAccess<?>) access).getCurrentStorageArray();
        long n = ch.size();
        int len = java.lang.reflect.Array.getLength(array);
        return len == n ? array : null;
    }

    private static void writeArray(OutputStream os, Object array, NiftiDataType type, byte[] buf) throws IOException {
        if (array instanceof byte[]) {
            byte[] a = (byte[]) array;
            for (int off = 0; off < a.length; off += CHUNK) {
                os.write(a, off, Math.min(CHUNK, a.length - off));
            }
            return;
        }
        int bpv = type.bytesPerVoxel();
        int per = buf.length / bpv;
        int len = java.lang.reflect.Array.getLength(array);
        for (int off = 0; off < len; off += per) {
            int n = Math.min(per, len - off);
            ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
            if (array instanceof short[]) {
                bb.asShortBuffer().put((short[]) array, off, n);
            } else if (array instanceof int[]) {
                bb.asIntBuffer().put((int[]) array, off, n);
            } else if (array instanceof float[]) {
                bb.asFloatBuffer().put((float[]) array, off, n);
            } else {
                bb.asDoubleBuffer().put((double[]) array, off, n);
            }
            os.write(buf, 0, n * bpv);
        }
    }

    private static void writeConverted(OutputStream os, RandomAccessibleInterval<? extends RealType<?>> ch,
            NiftiDataType type, byte[] buf, Path p, int c) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        Cursor<? extends RealType<?>> cur = Views.flatIterable(ch).cursor();
        double min = type.minValue();
        double max = type.maxValue();
        while (cur.hasNext()) {
            double v = cur.next().getRealDouble();
            switch (type) {
                case FLOAT32:
                    bb.putFloat((float) v);
                    break;
                case FLOAT64:
                    bb.putDouble(v);
                    break;
                default: {
                    double r = Math.rint(v);
                    if (!(r >= min && r <= max)) {
                        throw new IllegalArgumentException("Cannot write " + p + " as " + type + ": channel " + c
                                + " holds the value " + v + ", outside " + type + "'s range [" + (long) min + ", "
                                + (long) max + "]. Write it with a wider datatype (e.g. float32).");
                    }
                    long iv = (long) r;
                    if (type.bytesPerVoxel() == 1) {
                        bb.put((byte) iv);
                    } else if (type.bytesPerVoxel() == 2) {
                        bb.putShort((short) iv);
                    } else {
                        bb.putInt((int) iv);
                    }
                }
            }
            if (bb.remaining() < 8) {
                os.write(buf, 0, bb.position());
                bb.clear();
            }
        }
        if (bb.position() > 0) {
            os.write(buf, 0, bb.position());
        }
    }
}

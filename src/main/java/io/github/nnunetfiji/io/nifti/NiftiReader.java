package io.github.nnunetfiji.io.nifti;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import io.github.nnunetfiji.image.Image;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;

/** Reading side of {@link NiftiIO}. */
final class NiftiReader {

    /** Decoded bytes handled per step; a multiple of every voxel size. */
    private static final int CHUNK = 1 << 20;
    /** Compressed bytes read per call into the inflater. */
    private static final int GZIP_INPUT_BUFFER = 1 << 18;
    /**
     * Deflate cannot compress by more than about 1032:1; a header promising more data than that
     * is a truncated file or corrupt header, recognised before any allocation.
     */
    private static final long MAX_DEFLATE_RATIO = 1032;

    private NiftiReader() {
    }

    static NiftiHeader readHeader(Path p) throws IOException {
        try (FileChannel fc = FileChannel.open(p, StandardOpenOption.READ)) {
            boolean gz = isGzip(fc);
            try (Source in = new Source(fc, gz, 8192)) {
                return readHeader(p, in);
            } catch (EOFException | ZipException e) {
                throw gzipError(p, e, -1, -1);
            }
        }
    }

    static Image read(Path p) throws IOException {
        try (FileChannel fc = FileChannel.open(p, StandardOpenOption.READ)) {
            long fileSize = fc.size();
            boolean gz = isGzip(fc);
            long offset = 0;
            long dataBytes = -1;
            Source in = null;
            try {
                in = new Source(fc, gz, GZIP_INPUT_BUFFER);
                NiftiHeader h = readHeader(p, in);
                offset = (long) h.voxOffset();
                dataBytes = (long) h.channels() * h.voxelsPerChannel() * h.datatype().bytesPerVoxel();
                return readData(p, h, in, fileSize, gz);
            } catch (EOFException | ZipException e) {
                // The gzip stream's own exceptions, turned into messages about the file.
                throw gzipError(p, e, in == null ? -1 : Math.max(0, in.position - offset), in == null ? -1 : dataBytes);
            } finally {
                if (in != null) {
                    in.close();
                }
            }
        }
    }

    private static Image readData(Path p, NiftiHeader h, Source in, long fileSize, boolean gz) throws IOException {
        NiftiDataType t = h.datatype();
        int channels = h.channels();
        int perChannel = (int) h.voxelsPerChannel();
        long offset = (long) h.voxOffset();
        long dataBytes = (long) channels * perChannel * t.bytesPerVoxel();
        // A vox_offset of 1e30 reads as Long.MAX_VALUE: the end must not overflow past the checks.
        long end = offset > Long.MAX_VALUE - dataBytes ? Long.MAX_VALUE : offset + dataBytes;
        if (!gz && end > fileSize) {
            throw truncated(p, h, Math.max(0, fileSize - offset), dataBytes);
        }
        if (gz && end > MAX_DEFLATE_RATIO * fileSize + 4096) {
            throw new NiftiFormatException(p, "Its header declares " + describe(h) + " (" + mb(dataBytes)
                    + " of voxel data), more than a " + fileSize + "-byte gzip file can hold: the file is"
                    + " truncated or its header is corrupt.", "Copy or export the file again.");
        }
        boolean toDouble = h.isScaled() && t.scalesToDouble();
        int outBytes = h.isScaled() ? (toDouble ? 8 : 4) : t.bytesPerVoxel();
        checkMemory(p, h, (long) channels * perChannel * outBytes);

        in.skipFully(offset - NiftiHeader.SIZEOF_HDR);
        Decoder dec = new Decoder(h, toDouble);
        List<RandomAccessibleInterval<? extends RealType<?>>> out = new ArrayList<>(channels);
        byte[] buf = dec.direct ? new byte[4096]
                : new byte[(int) Math.min(CHUNK, Math.max(8, (long) perChannel * t.bytesPerVoxel()))];
        int chunkElems = dec.direct ? CHUNK : buf.length / t.bytesPerVoxel();
        for (int c = 0; c < channels; c++) {
            Object array = dec.allocate(perChannel);
            int idx = 0;
            while (idx < perChannel) {
                int n = Math.min(chunkElems, perChannel - idx);
                int bytes = n * t.bytesPerVoxel();
                if (dec.direct) {
                    // Unscaled bytes go straight into the channel array: no copy.
                    if (in.readFully((byte[]) array, idx, bytes) < bytes) {
                        throw truncated(p, h, in.position - offset, dataBytes);
                    }
                } else {
                    if (in.readFully(buf, 0, bytes) < bytes) {
                        throw truncated(p, h, in.position - offset, dataBytes);
                    }
                    dec.decode(buf, n, array, idx);
                }
                idx += n;
            }
            out.add(dec.wrap(array, h.shape()));
        }
        if (gz) {
            // Reading on to the end of the gzip member makes the stream verify its CRC and length.
            in.readFully(buf, 0, Math.min(buf.length, 4096));
        }
        return new Image(out, h.geometry());
    }

    private static NiftiHeader readHeader(Path p, Source in) throws IOException {
        byte[] block = new byte[NiftiHeader.SIZEOF_HDR];
        int n = in.readFully(block, 0, block.length);
        return NiftiHeader.parse(p, block, n);
    }

    private static boolean isGzip(FileChannel fc) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(2);
        while (magic.hasRemaining() && fc.read(magic) >= 0) {
            // loop until 2 bytes or end of file
        }
        fc.position(0);
        return magic.position() == 2 && (magic.get(0) & 0xFF) == 0x1f && (magic.get(1) & 0xFF) == 0x8b;
    }

    /** The (decompressed) file content as a stream that knows its position, for messages. */
    private static final class Source implements Closeable {
        private final InputStream in;
        /** Bytes delivered so far. */
        long position;

        Source(FileChannel fc, boolean gz, int bufferSize) throws IOException {
            InputStream raw = Channels.newInputStream(fc);
            in = gz ? new GZIPInputStream(raw, bufferSize) : raw;
        }

        /** Reads up to {@code len} bytes; returns how many were read (fewer only at end of stream). */
        int readFully(byte[] b, int off, int len) throws IOException {
            int total = 0;
            while (total < len) {
                int r = in.read(b, off + total, len - total);
                if (r < 0) {
                    break;
                }
                total += r;
                position += r;
            }
            return total;
        }

        void skipFully(long n) throws IOException {
            byte[] scratch = new byte[(int) Math.max(1, Math.min(n, 8192))];
            while (n > 0) {
                int r = readFully(scratch, 0, (int) Math.min(n, scratch.length));
                if (r == 0) {
                    throw new EOFException("end of file before the voxel data (vox_offset)");
                }
                n -= r;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static void checkMemory(Path p, NiftiHeader h, long bytes) throws NiftiFormatException {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > free) {
            // Part of the used heap may be garbage; collect once before refusing.
            System.gc();
            free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        }
        if (bytes > free) {
            throw new NiftiFormatException(p, "Its " + describe(h) + " need " + mb(bytes)
                    + " of memory, but only " + mb(free) + " of the Java heap (maximum " + mb(rt.maxMemory())
                    + ") is free.", "Give Java more memory (Fiji: Edit > Options > Memory & Threads; java -Xmx),"
                            + " or crop or downsample the image.");
        }
    }

    private static String describe(NiftiHeader h) {
        long[] s = h.shape();
        return s[0] + "x" + s[1] + "x" + s[2] + " voxels x " + h.channels() + " channel(s) of " + h.datatype();
    }

    private static String mb(long bytes) {
        if (bytes >= 10L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    private static NiftiFormatException truncated(Path p, NiftiHeader h, long got, long expected) {
        return new NiftiFormatException(p, "It is truncated: its header declares " + describe(h) + " ("
                + expected + " bytes of voxel data from byte " + NiftiHeader.fmt(h.voxOffset()) + "), but the file holds only "
                + got + " of them.", "The file is incomplete; copy or export it again.");
    }

    private static NiftiFormatException gzipError(Path p, IOException e, long got, long expected) {
        String where;
        if (expected < 0) {
            where = "";
        } else if (got < expected) {
            where = " after " + got + " of " + expected + " bytes of voxel data";
        } else {
            where = " after all " + expected + " bytes of voxel data, in its gzip trailer";
        }
        if (e instanceof EOFException) {
            return new NiftiFormatException(p, "It is truncated: the gzip stream ends unexpectedly" + where + ".",
                    "The file is incomplete; copy or export it again.", e);
        }
        return new NiftiFormatException(p, "Its gzip data is corrupt" + where + " (" + e.getMessage() + ").",
                "The file is damaged; copy or export it again.", e);
    }

    /** Turns chunks of stored bytes into the values of one channel array. */
    private static final class Decoder {
        private final NiftiDataType type;
        private final ByteOrder order;
        private final boolean scaled;
        private final boolean toDouble;
        private final boolean multiply;
        private final boolean add;
        private final double slope;
        private final double inter;
        /** Unscaled one-byte data is read directly into the channel array. */
        final boolean direct;

        Decoder(NiftiHeader h, boolean toDouble) {
            this.type = h.datatype();
            this.order = h.byteOrder();
            this.scaled = h.isScaled();
            this.toDouble = toDouble;
            this.slope = h.sclSlope();
            this.inter = h.sclInter();
            // nibabel skips a multiplication by 1 and an addition of 0; so do we, which keeps -0.0 as it is.
            this.multiply = slope != 1.0;
            this.add = inter != 0.0;
            this.direct = !scaled && type.bytesPerVoxel() == 1;
        }

        Object allocate(int n) {
            if (scaled) {
                return toDouble ? new double[n] : new float[n];
            }
            switch (type) {
                case UINT8:
                case INT8:
                    return new byte[n];
                case INT16:
                case UINT16:
                    return new short[n];
                case INT32:
                    return new int[n];
                case FLOAT32:
                    return new float[n];
                case FLOAT64:
                    return new double[n];
                default:
                    throw new AssertionError(type);
            }
        }

        RandomAccessibleInterval<? extends RealType<?>> wrap(Object array, long[] shape) {
            if (scaled) {
                return toDouble ? ArrayImgs.doubles((double[]) array, shape) : ArrayImgs.floats((float[]) array, shape);
            }
            switch (type) {
                case UINT8:
                    return ArrayImgs.unsignedBytes((byte[]) array, shape);
                case INT8:
                    return ArrayImgs.bytes((byte[]) array, shape);
                case INT16:
                    return ArrayImgs.shorts((short[]) array, shape);
                case UINT16:
                    return ArrayImgs.unsignedShorts((short[]) array, shape);
                case INT32:
                    return ArrayImgs.ints((int[]) array, shape);
                case FLOAT32:
                    return ArrayImgs.floats((float[]) array, shape);
                case FLOAT64:
                    return ArrayImgs.doubles((double[]) array, shape);
                default:
                    throw new AssertionError(type);
            }
        }

        /** Decodes {@code n} voxels from {@code buf[0..]} into {@code array[idx..]}. */
        void decode(byte[] buf, int n, Object array, int idx) {
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n * type.bytesPerVoxel()).order(order);
            if (!scaled) {
                switch (type) {
                    case INT16:
                    case UINT16:
                        bb.asShortBuffer().get((short[]) array, idx, n);
                        return;
                    case INT32:
                        bb.asIntBuffer().get((int[]) array, idx, n);
                        return;
                    case FLOAT32:
                        bb.asFloatBuffer().get((float[]) array, idx, n);
                        return;
                    case FLOAT64:
                        bb.asDoubleBuffer().get((double[]) array, idx, n);
                        return;
                    default:
                        throw new AssertionError(type); // one-byte types are read directly
                }
            }
            if (toDouble) {
                double[] dst = (double[]) array;
                if (type == NiftiDataType.INT32) {
                    java.nio.IntBuffer src = bb.asIntBuffer();
                    for (int i = 0; i < n; i++) {
                        dst[idx + i] = scale(src.get(i));
                    }
                } else {
                    java.nio.DoubleBuffer src = bb.asDoubleBuffer();
                    for (int i = 0; i < n; i++) {
                        dst[idx + i] = scale(src.get(i));
                    }
                }
                return;
            }
            float[] dst = (float[]) array;
            switch (type) {
                case UINT8:
                    for (int i = 0; i < n; i++) {
                        dst[idx + i] = (float) scale(buf[i] & 0xFF);
                    }
                    return;
                case INT8:
                    for (int i = 0; i < n; i++) {
                        dst[idx + i] = (float) scale(buf[i]);
                    }
                    return;
                case INT16: {
                    java.nio.ShortBuffer src = bb.asShortBuffer();
                    for (int i = 0; i < n; i++) {
                        dst[idx + i] = (float) scale(src.get(i));
                    }
                    return;
                }
                case UINT16: {
                    java.nio.ShortBuffer src = bb.asShortBuffer();
                    for (int i = 0; i < n; i++) {
                        dst[idx + i] = (float) scale(src.get(i) & 0xFFFF);
                    }
                    return;
                }
                case FLOAT32: {
                    java.nio.FloatBuffer src = bb.asFloatBuffer();
                    for (int i = 0; i < n; i++) {
                        dst[idx + i] = (float) scale(src.get(i));
                    }
                    return;
                }
                default:
                    throw new AssertionError(type);
            }
        }

        /** {@code v * slope + inter} in double precision, as nibabel computes it. */
        private double scale(double v) {
            if (multiply) {
                v *= slope;
            }
            if (add) {
                v += inter;
            }
            return v;
        }
    }
}

package io.github.nnunetfiji.engine;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.VersionedJson;

/**
 * The engine-neutral checkpoint: the spec, the optimizer's step and learning-rate factor, and named
 * float arrays (parameters and optimizer slots). Plain data read by Java, so loading a checkpoint
 * runs no graph op at all.
 *
 * <p>Layout: magic {@code NNUCKPT1}, a little-endian int with the length of a UTF-8 JSON header
 * ({@link Header}), the header, the arrays' float32 values in header order (little endian), and a
 * CRC-32 of everything before it as a little-endian long. Written atomically.
 */
public final class CheckpointFile {

    private static final byte[] MAGIC = "NNUCKPT1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER = 64 << 20;
    private static final VersionedJson.Layout LAYOUT = VersionedJson.Layout.numbered("a checkpoint", 1,
            "train again (the checkpoint was written by another version)");

    /** One array: its shape (engine order, informative) and values. */
    public record Array(long[] shape, float[] values) {
        public Array {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold "
                        + values.length + " values");
            }
        }
    }

    /** The whole content of a checkpoint. */
    public static final class Contents {
        public NetworkSpec spec;
        public long step;
        public double learningRateFactor = 1;
        public final Map<String, Array> arrays = new LinkedHashMap<>();
    }

    /** The JSON header; public fields for Gson. */
    static final class Header {
        int format = 1;
        NetworkSpec spec;
        long step;
        double learningRateFactor;
        List<Entry> arrays = new ArrayList<>();
    }

    static final class Entry {
        String name;
        long[] shape;
    }

    private CheckpointFile() {
    }

    public static void write(Path file, Contents c) throws IOException {
        Header h = new Header();
        h.spec = c.spec;
        h.step = c.step;
        h.learningRateFactor = c.learningRateFactor;
        for (Map.Entry<String, Array> e : c.arrays.entrySet()) {
            Entry en = new Entry();
            en.name = e.getKey();
            en.shape = e.getValue().shape();
            h.arrays.add(en);
        }
        // Strict JSON, like every other file: a NaN or infinite number (a diverged learning-rate
        // factor, say) is refused here, before anything is written, and the previous checkpoint stays.
        byte[] header = Json.toJson(h, file.toString()).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> {
            CRC32 crc = new CRC32();
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4).order(ByteOrder.LITTLE_ENDIAN);
            head.put(MAGIC).putInt(header.length);
            writeAndSum(out, crc, head.array());
            writeAndSum(out, crc, header);
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (Array a : c.arrays.values()) {
                for (float v : a.values()) {
                    if (!buf.hasRemaining()) {
                        writeAndSum(out, crc, buf.array());
                        buf.clear();
                    }
                    buf.putFloat(v);
                }
            }
            if (buf.position() > 0) {
                out.write(buf.array(), 0, buf.position());
                crc.update(buf.array(), 0, buf.position());
            }
            ByteArrayOutputStream tail = new ByteArrayOutputStream();
            new DataOutputStream(tail).writeLong(Long.reverseBytes(crc.getValue()));
            out.write(tail.toByteArray());
        });
    }

    private static void writeAndSum(java.io.OutputStream out, CRC32 crc, byte[] b) throws IOException {
        out.write(b);
        crc.update(b);
    }

    /**
     * How many values an array of the header holds, checked before anything is allocated: a name, a
     * shape of non-negative sizes whose product (without overflow) fits in the bytes left.
     */
    private static long values(Path file, Entry e, long bytesLeft) throws IOException {
        if (e == null || e.name == null || e.shape == null) {
            throw new IOException(file + " is damaged: an array of its header has no name or no shape; " + LAYOUT.fix());
        }
        long n = 1;
        for (long d : e.shape) {
            if (d < 0) {
                throw new IOException(file + ": negative dimension in " + e.name);
            }
            n = d == 0 || n == 0 ? 0 : (n > bytesLeft / 4 / d ? Long.MAX_VALUE : n * d);
        }
        if (n > bytesLeft / 4) {
            throw new IOException(file + " is truncated at " + e.name);
        }
        return n;
    }

    public static Contents read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < MAGIC.length + 12 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new IOException(file + " is not a checkpoint (bad magic)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        if (buf.getLong(all.length - 8) != crc.getValue()) {
            throw new IOException(file + " is damaged (checksum mismatch)");
        }
        buf.position(MAGIC.length);
        int headerLength = buf.getInt();
        if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength > all.length - buf.position() - 8) {
            throw new IOException(file + " has an invalid header length");
        }
        String json = new String(all, buf.position(), headerLength, StandardCharsets.UTF_8);
        buf.position(buf.position() + headerLength);
        Header h = VersionedJson.fromJson(json, file + " (header)", Header.class, LAYOUT);
        if (h.spec == null || h.arrays == null) {
            throw new IOException(file + " has an incomplete header (no network spec or array list)");
        }
        try {
            h.spec.validate();
        } catch (IllegalArgumentException e) {
            // A header that passed the checksum but describes no network: damaged, or not ours.
            throw new IOException(file + " is damaged: its header describes no valid network (" + e.getMessage()
                    + "); " + LAYOUT.fix(), e);
        }
        Contents c = new Contents();
        c.spec = h.spec;
        c.step = h.step;
        c.learningRateFactor = h.learningRateFactor;
        for (Entry e : h.arrays) {
            long n = values(file, e, buf.remaining() - 8);
            float[] v = new float[(int) n];
            buf.asFloatBuffer().get(v);
            buf.position(buf.position() + 4 * (int) n);
            if (c.arrays.put(e.name, new Array(e.shape, v)) != null) {
                throw new IOException(file + " is damaged: it holds the array " + e.name + " twice; " + LAYOUT.fix());
            }
        }
        if (buf.remaining() != 8) {
            throw new IOException(file + " has " + (buf.remaining() - 8) + " unexpected trailing bytes");
        }
        return c;
    }
}

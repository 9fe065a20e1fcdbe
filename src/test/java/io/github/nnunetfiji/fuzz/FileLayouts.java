package io.github.nnunetfiji.fuzz;

import static io.github.nnunetfiji.fuzz.ByteMutator.ANY;
import static io.github.nnunetfiji.fuzz.ByteMutator.FLOAT32;
import static io.github.nnunetfiji.fuzz.ByteMutator.INT16;
import static io.github.nnunetfiji.fuzz.ByteMutator.INT32;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * What the mutations know of the file formats: where the header fields are (the "hot" fields, each
 * an offset and a type, {@link ByteMutator#field}), and the layers to take off and put back (gzip, a zip's members, a checkpoint's length and checksum)
 * so that a mutation inside gets past the outer check to the code behind it.
 */
final class FileLayouts {

    private FileLayouts() {
    }

    // ------------------------------------------------------------------ NIfTI-1

    /**
     * The NIfTI-1 header fields the reader validates: sizeof_hdr, dim[0..7], intent_code, datatype,
     * bitpix, pixdim[0..7], vox_offset, scl_slope/inter, xyzt_units, qform/sform codes, quaternion,
     * offsets, srow, magic, the extension flag.
     */
    static int[] niftiHot() {
        List<Integer> l = new ArrayList<>(List.of(f(0, INT32), f(68, INT16), f(70, INT16), f(72, INT16),
                f(108, FLOAT32), f(112, FLOAT32), f(116, FLOAT32), f(123, ANY), f(252, INT16), f(254, INT16),
                f(344, ANY), f(348, ANY)));
        l.addAll(ByteMutator.run(40, 8, 2, INT16));
        l.addAll(ByteMutator.run(76, 8, 4, FLOAT32));
        l.addAll(ByteMutator.run(256, 6, 4, FLOAT32));
        l.addAll(ByteMutator.run(280, 12, 4, FLOAT32));
        return ints(l);
    }

    private static int f(int offset, int type) {
        return ByteMutator.field(offset, type);
    }

    // ------------------------------------------------------------------ gzip

    static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    /** The gzip header (magic, method, flags, time, OS) and trailer (CRC-32, length). */
    static int[] gzipHot(int length) {
        List<Integer> l = new ArrayList<>(List.of(f(0, ANY), f(1, ANY), f(2, ANY), f(3, ANY), f(4, INT32),
                f(8, ANY), f(9, ANY), f(10, ANY)));
        l.add(f(length - 8, INT32));
        l.add(f(length - 4, INT32));
        return ints(l);
    }

    // ------------------------------------------------------------------ TIFF

    /**
     * The header and every IFD entry's type, count and value/offset fields (and the next-IFD
     * offsets), found by walking the IFD chain of the seed.
     */
    static int[] tiffHot(byte[] b) {
        if (b.length < 8) {
            return ints(List.of(f(0, ANY)));
        }
        // Fields of a big-endian ("MM") file are marked so, to be written in its order.
        boolean big = b[0] == 'M';
        int be = big ? ByteMutator.BIG_ENDIAN : 0;
        ByteBuffer bb = ByteBuffer.wrap(b).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        List<Integer> l = new ArrayList<>(List.of(f(0, ANY), f(2, INT16 | be), f(4, INT32 | be)));
        long ifd = Integer.toUnsignedLong(bb.getInt(4));
        for (int guard = 0; guard < 64 && ifd > 0 && ifd + 2 <= b.length; guard++) {
            int at = (int) ifd;
            int n = Short.toUnsignedInt(bb.getShort(at));
            l.add(f(at, INT16 | be));
            for (int e = 0; e < n && at + 2 + 12 * (e + 1) <= b.length; e++) {
                int entry = at + 2 + 12 * e;
                l.add(f(entry + 2, INT16 | be)); // type
                l.add(f(entry + 4, INT32 | be)); // count
                l.add(f(entry + 8, (bb.getShort(entry + 2) == 3 ? INT16 : INT32) | be)); // value or offset
            }
            int next = at + 2 + 12 * n;
            if (next + 4 > b.length) {
                break;
            }
            l.add(f(next, INT32 | be));
            ifd = Integer.toUnsignedLong(bb.getInt(next));
        }
        return ints(l);
    }

    // ------------------------------------------------------------------ checkpoint

    /** Magic, the header length and the checksum of an engine checkpoint. */
    static int[] checkpointHot(int length) {
        return ints(List.of(f(0, ANY), f(7, ANY), f(8, INT32), f(12, ANY), f(length - 8, INT32),
                f(length - 4, INT32)));
    }

    /** The JSON header of a checkpoint (magic, int length, JSON, floats, CRC). */
    static byte[] checkpointHeader(byte[] ckpt) {
        int n = ByteBuffer.wrap(ckpt, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return java.util.Arrays.copyOfRange(ckpt, 12, 12 + n);
    }

    /** The checkpoint with another JSON header, its length and checksum set to match. */
    static byte[] checkpointWithHeader(byte[] ckpt, byte[] header) {
        int n = ByteBuffer.wrap(ckpt, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ckpt, 0, 8);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(header.length).array());
        out.writeBytes(header);
        out.write(ckpt, 12 + n, ckpt.length - 8 - 12 - n);
        return resealed(out.toByteArray(), false);
    }

    /**
     * A checkpoint with a correct checksum: the last 8 bytes replaced ({@code replace}) or
     * appended, so a mutation of the body gets past the checksum to the parser.
     */
    static byte[] resealed(byte[] b, boolean replace) {
        int body = replace ? Math.max(0, b.length - 8) : b.length;
        CRC32 crc = new CRC32();
        crc.update(b, 0, body);
        byte[] out = java.util.Arrays.copyOf(b, body + 8);
        ByteBuffer.wrap(out, body, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(crc.getValue());
        return out;
    }

    // ------------------------------------------------------------------ zip

    /**
     * The fields of the local headers, central directory entries and end record: versions, flags,
     * method, CRC, sizes, name and extra lengths, attributes, offsets, entry counts.
     */
    static int[] zipHot(byte[] b) {
        List<Integer> l = new ArrayList<>();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= b.length; i++) {
            int sig = bb.getInt(i);
            if (sig == 0x04034b50) {
                for (int x : new int[] {4, 6, 8, 26, 28}) {
                    l.add(f(i + x, INT16));
                }
                for (int x : new int[] {14, 18, 22}) {
                    l.add(f(i + x, INT32));
                }
            } else if (sig == 0x02014b50) {
                for (int x : new int[] {4, 6, 8, 10, 28, 30, 32}) {
                    l.add(f(i + x, INT16));
                }
                for (int x : new int[] {16, 20, 24, 38, 42}) {
                    l.add(f(i + x, INT32));
                }
            } else if (sig == 0x06054b50) {
                for (int x : new int[] {4, 8, 10, 20}) {
                    l.add(f(i + x, INT16));
                }
                for (int x : new int[] {12, 16}) {
                    l.add(f(i + x, INT32));
                }
            }
        }
        return ints(l);
    }

    /** A zip's members, in order. */
    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                m.put(e.getName(), e.isDirectory() ? null : in.readAllBytes());
            }
        }
        return m;
    }

    /** A zip of the members (null: a folder entry). */
    static byte[] zip(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getValue() != null) {
                    z.write(e.getValue());
                }
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}

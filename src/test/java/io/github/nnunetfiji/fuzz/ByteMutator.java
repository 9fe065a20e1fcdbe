package io.github.nnunetfiji.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded byte-level mutations of a file: bit flips, interesting values over single bytes and over
 * 2-, 4- and 8-byte fields (integers and floats, both byte orders), truncation, junk appended, and
 * chunks duplicated or removed. Fields are hit at the seed's "hot" fields (its header fields, each
 * an offset and a type, see {@link #field(int, int)}) half of the time, with values of their type,
 * so the mutations reach the checks that guard sizes and offsets and not only the data. Every step
 * appends a short description, enough to read what an input was.
 */
final class ByteMutator {

    /** Types of hot fields. */
    static final int ANY = 0;
    static final int INT16 = 1;
    static final int INT32 = 2;
    static final int FLOAT32 = 3;
    /** Flag of a hot field stored big-endian (a TIFF of byte order "MM"); else little-endian. */
    static final int BIG_ENDIAN = 4;

    private static final int[] BYTES = {0, 0xFF, 0x7F, 0x80, 1, 0xFE};
    private static final long[] INTS = {0, -1, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, -32768, 32767,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 0x10000, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE, 348, 352, 540, 4096};
    private static final float[] FLOATS = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, 1e30f, -1e30f, 1e-30f, Float.MAX_VALUE, Float.MIN_VALUE, 348f, 352f, 3e9f, 65536f};

    private ByteMutator() {
    }

    /** A hot field: its offset and type ({@link #INT16}, ..., or'ed with {@link #BIG_ENDIAN}), packed in one int. */
    static int field(int offset, int type) {
        return offset << 3 | type;
    }

    private static ByteOrder order(int field) {
        return (field & BIG_ENDIAN) != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** Applies 1 to 4 random steps to {@code b}; {@code hot} are its header fields (may be empty). */
    static byte[] mutate(byte[] b, int[] hot, Random r, List<String> steps) {
        int n = 1 + r.nextInt(r.nextInt(4) + 1);
        for (int i = 0; i < n; i++) {
            b = step(b, hot, r, steps);
        }
        return b;
    }

    /**
     * 1 to 3 typed hot fields (see {@link #field(int, int)}) set to interesting values of their type,
     * in their byte order: header fields that are wrong but well formed, the checks' business.
     */
    static byte[] fields(byte[] b, int[] hot, Random r, List<String> steps) {
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n && hot.length > 0; i++) {
            int f = hot[r.nextInt(hot.length)];
            int p = f >>> 3;
            int type = f & 3;
            ByteBuffer bb = ByteBuffer.wrap(b).order(order(f));
            if (p + 4 > b.length) {
                continue;
            }
            if (type == FLOAT32) {
                float v = FLOATS[r.nextInt(FLOATS.length)];
                bb.putFloat(p, v);
                steps.add("@" + p + " float " + v);
            } else if (type == INT16) {
                short v = (short) INTS[r.nextInt(INTS.length)];
                bb.putShort(p, v);
                steps.add("@" + p + " int16 " + v);
            } else if (type == INT32) {
                int v = (int) INTS[r.nextInt(INTS.length)];
                bb.putInt(p, v);
                steps.add("@" + p + " int32 " + v);
            } else {
                int v = BYTES[r.nextInt(BYTES.length)];
                b[p] = (byte) v;
                steps.add(String.format(Locale.ROOT, "byte %d = 0x%02x", p, v));
            }
        }
        return b;
    }

    private static byte[] step(byte[] b, int[] hot, Random r, List<String> steps) {
        if (b.length == 0) {
            steps.add("extend empty by 16 junk bytes");
            return junk(r, 16);
        }
        switch (r.nextInt(10)) {
            case 0:
            case 1: {
                int flips = 1 + r.nextInt(8);
                StringBuilder at = new StringBuilder();
                for (int i = 0; i < flips; i++) {
                    int p = position(b.length, hot, r);
                    int bit = r.nextInt(8);
                    b[p] ^= (byte) (1 << bit);
                    at.append(i == 0 ? "" : ",").append(p).append('.').append(bit);
                }
                steps.add("flip bits " + at);
                return b;
            }
            case 2: {
                int p = position(b.length, hot, r);
                int v = BYTES[r.nextInt(BYTES.length)];
                b[p] = (byte) v;
                steps.add(String.format(Locale.ROOT, "byte %d = 0x%02x", p, v));
                return b;
            }
            case 3:
            case 4:
                return field(b, hot, r, steps);
            case 5: {
                int at = cut(b.length, hot, r);
                steps.add("truncate to " + at + " of " + b.length);
                return java.util.Arrays.copyOf(b, at);
            }
            case 6: {
                int n = 1 + r.nextInt(r.nextBoolean() ? 16 : 4096);
                boolean zeros = r.nextBoolean();
                byte[] extra = zeros ? new byte[n] : junk(r, n);
                steps.add("append " + n + (zeros ? " zero" : " junk") + " bytes");
                return concat(b, b.length, extra);
            }
            case 7: {
                int from = r.nextInt(b.length);
                int len = 1 + r.nextInt(Math.min(b.length - from, r.nextBoolean() ? 64 : 65536));
                int to = r.nextInt(b.length + 1);
                steps.add("duplicate [" + from + "," + (from + len) + ") at " + to);
                ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + len);
                out.write(b, 0, to);
                out.write(b, from, len);
                out.write(b, to, b.length - to);
                return out.toByteArray();
            }
            case 8: {
                int from = position(b.length, hot, r);
                int len = 1 + r.nextInt(Math.min(b.length - from, r.nextBoolean() ? 64 : 65536));
                steps.add("remove [" + from + "," + (from + len) + ")");
                ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
                out.write(b, 0, from);
                out.write(b, from + len, b.length - from - len);
                return out.toByteArray();
            }
            default: {
                int from = position(b.length, hot, r);
                int len = 1 + r.nextInt(Math.min(b.length - from, 32));
                byte[] j = junk(r, len);
                System.arraycopy(j, 0, b, from, len);
                steps.add("overwrite [" + from + "," + (from + len) + ") with junk");
                return b;
            }
        }
    }

    /**
     * An interesting integer or float written over a field: a hot field with a value of its type
     * and byte order half of the time, else a 2-, 4- or 8-byte field anywhere.
     */
    private static byte[] field(byte[] b, int[] hot, Random r, List<String> steps) {
        ByteOrder order = r.nextInt(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        boolean asFloat = r.nextInt(3) == 0;
        int width = asFloat ? 4 : new int[] {2, 4, 4, 8}[r.nextInt(4)];
        int p = -1;
        if (hot.length > 0 && r.nextBoolean()) {
            int f = hot[r.nextInt(hot.length)];
            int type = f & 3;
            if (type != ANY && (f >>> 3) < b.length) {
                p = f >>> 3;
                order = order(f);
                asFloat = type == FLOAT32;
                width = type == INT16 ? 2 : 4;
            }
        }
        if (b.length < width) {
            return b;
        }
        p = Math.min(p >= 0 ? p : position(b.length, hot, r), b.length - width);
        ByteBuffer bb = ByteBuffer.wrap(b).order(order);
        String what;
        if (asFloat) {
            float v = FLOATS[r.nextInt(FLOATS.length)];
            bb.putFloat(p, v);
            what = "float " + v;
        } else {
            long v = INTS[r.nextInt(INTS.length)];
            if (r.nextInt(4) == 0) {
                v += r.nextInt(3) - 1;
            }
            switch (width) {
                case 2:
                    bb.putShort(p, (short) v);
                    what = "int16 " + (short) v;
                    break;
                case 4:
                    bb.putInt(p, (int) v);
                    what = "int32 " + (int) v;
                    break;
                default:
                    bb.putLong(p, v);
                    what = "int64 " + v;
            }
        }
        steps.add("@" + p + " " + what + (order == ByteOrder.BIG_ENDIAN ? " (big-endian)" : ""));
        return b;
    }

    /** A position in the file: a hot offset half of the time (where there are any), else anywhere. */
    private static int position(int length, int[] hot, Random r) {
        if (hot.length > 0 && r.nextBoolean()) {
            int p = hot[r.nextInt(hot.length)] >>> 3;
            if (p < length) {
                return p;
            }
        }
        return r.nextInt(length);
    }

    /** Where to cut: inside or just after a header field, near the end, or anywhere. */
    private static int cut(int length, int[] hot, Random r) {
        switch (r.nextInt(4)) {
            case 0:
                return Math.min(length - 1, position(length, hot, r));
            case 1:
                return Math.max(0, length - 1 - r.nextInt(Math.min(length, 16)));
            default:
                return r.nextInt(length);
        }
    }

    static byte[] junk(Random r, int n) {
        byte[] j = new byte[n];
        r.nextBytes(j);
        return j;
    }

    private static byte[] concat(byte[] a, int aLength, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, aLength + b.length);
        System.arraycopy(b, 0, c, aLength, b.length);
        return c;
    }

    /** Fields of one type at {@code base + k * stride} for k in [0, count): a run of header fields. */
    static List<Integer> run(int base, int count, int stride, int type) {
        List<Integer> l = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            l.add(field(base + k * stride, type));
        }
        return l;
    }
}

package io.github.nnunetfiji.bioimageio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.nnunetfiji.util.AtomicFiles;

/**
 * NumPy's {@code .npy} format (version 1.0) for float32 arrays in C order, little-endian: the test
 * tensors of a bioimage.io model.
 */
public final class NpyFile {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern HEADER = Pattern.compile(
            "\\{'descr': '<f4', 'fortran_order': False, 'shape': \\(([0-9, ]*)\\), \\}\\s*");

    /** An array read back: its shape and values in C order. */
    public record Array(long[] shape, float[] values) {
    }

    private NpyFile() {
    }

    public static void write(Path file, long[] shape, float[] values) throws IOException {
        AtomicFiles.write(file, out -> out.write(bytes(shape, values)));
    }

    static byte[] bytes(long[] shape, float[] values) {
        long n = 1;
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            n *= d;
            dims.append(d).append(", ");
        }
        if (n != values.length) {
            throw new IllegalArgumentException(values.length + " values for shape " + dims);
        }
        String shapeText = shape.length == 1 ? dims.toString().trim() : dims.substring(0, Math.max(0, dims.length() - 2));
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (" + shapeText
                + "), }");
        // magic, version and length take 10 bytes; the header ends in a newline and pads to 64
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** Reads a file {@link #write} wrote (float32, C order); anything else is refused, naming the file. */
    public static Array read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) {
            if (b.remaining() == 0 || b.get() != m) {
                throw new IOException(file + " is not a .npy file");
            }
        }
        if (b.remaining() < 4 || b.get() != 1 || b.get() != 0) {
            throw new IOException(file + ": only .npy version 1.0 is read");
        }
        int length = Short.toUnsignedInt(b.getShort());
        if (b.remaining() < length) {
            throw new IOException(file + " is cut short");
        }
        String header = new String(all, b.position(), length, StandardCharsets.US_ASCII);
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            throw new IOException(file + ": only little-endian float32 arrays in C order are read, header " + header);
        }
        List<Long> dims = new ArrayList<>();
        for (String d : m.group(1).split(",")) {
            if (!d.isBlank()) {
                dims.add(Long.parseLong(d.trim()));
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        b.position(b.position() + length);
        if (b.remaining() != 4 * n) {
            throw new IOException(file + " holds " + b.remaining() + " bytes of values for shape " + dims);
        }
        float[] v = new float[Math.toIntExact(n)];
        b.asFloatBuffer().get(v);
        return new Array(shape, v);
    }
}

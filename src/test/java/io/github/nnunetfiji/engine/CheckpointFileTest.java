package io.github.nnunetfiji.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {

    @TempDir
    Path dir;

    private static CheckpointFile.Contents sample(int size) {
        CheckpointFile.Contents c = new CheckpointFile.Contents();
        c.spec = NetworkSpec.uniform(2, 1, 3, 2, 4, 8);
        c.step = 4242;
        c.learningRateFactor = 0.2;
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = i * 0.5f - 7;
        }
        c.arrays.put("enc0.a.conv.w", new CheckpointFile.Array(new long[] {size}, a));
        c.arrays.put("empty", new CheckpointFile.Array(new long[] {0, 3}, new float[0]));
        c.arrays.put("head0.b", new CheckpointFile.Array(new long[] {3}, new float[] {1, Float.NaN, -0f}));
        return c;
    }

    @Test
    void roundTripsLargerThanTheWriteBuffer() throws IOException {
        Path f = dir.resolve("a.ckpt");
        CheckpointFile.Contents c = sample(600_000);
        CheckpointFile.write(f, c);
        CheckpointFile.Contents back = CheckpointFile.read(f);
        assertEquals(4242, back.step);
        assertEquals(0.2, back.learningRateFactor);
        assertEquals(Arrays.asList("enc0.a.conv.w", "empty", "head0.b"), back.arrays.keySet().stream().toList());
        assertArrayEquals(c.arrays.get("enc0.a.conv.w").values(), back.arrays.get("enc0.a.conv.w").values());
        assertArrayEquals(c.arrays.get("head0.b").values(), back.arrays.get("head0.b").values());
        assertArrayEquals(new long[] {0, 3}, back.arrays.get("empty").shape());
        assertEquals(3, back.spec.classes());
    }

    @Test
    void aNonFiniteNumberIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path f = dir.resolve("c.ckpt");
        CheckpointFile.write(f, sample(10));
        byte[] before = Files.readAllBytes(f);
        CheckpointFile.Contents c = sample(10);
        c.learningRateFactor = Double.NaN;
        io.github.nnunetfiji.util.Json.NonFiniteNumberException e = assertThrows(
                io.github.nnunetfiji.util.Json.NonFiniteNumberException.class, () -> CheckpointFile.write(f, c));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("learningRateFactor"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f), "the previous checkpoint stays as it was");
        c.learningRateFactor = 1;
        c.spec = c.spec.toBuilder().optimizer(c.spec.optimizer().withLearningRate(Double.POSITIVE_INFINITY))
                .build();
        e = assertThrows(io.github.nnunetfiji.util.Json.NonFiniteNumberException.class, () -> CheckpointFile.write(f, c));
        assertTrue(e.getMessage().contains("spec.optimizer.learningRate"), e.getMessage());
    }

    @Test
    void aHeaderOfAnotherFormatIsRefusedWithTheFix() throws IOException {
        Path f = dir.resolve("d.ckpt");
        CheckpointFile.write(f, sample(10));
        byte[] b = Files.readAllBytes(f);
        String text = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"format\": 1");
        b[at + "\"format\": ".length()] = '2';
        // Fix the checksum so that only the format differs.
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 0, b.length - 8);
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(b.length - 8, crc.getValue());
        Files.write(f, b);
        IOException e = assertThrows(IOException.class, () -> CheckpointFile.read(f));
        assertTrue(e.getMessage().contains("format 2") && e.getMessage().contains("train again"), e.getMessage());
    }

    @Test
    void damageIsDetected() throws IOException {
        Path f = dir.resolve("b.ckpt");
        CheckpointFile.write(f, sample(1000));
        byte[] bytes = Files.readAllBytes(f);
        for (int at : new int[] {3, 20, bytes.length - 100, bytes.length - 1}) {
            byte[] bad = bytes.clone();
            bad[at] ^= 0x10;
            Files.write(f, bad);
            assertThrows(IOException.class, () -> CheckpointFile.read(f), "flip at " + at);
        }
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 5));
        assertThrows(IOException.class, () -> CheckpointFile.read(f));
    }

    /** The checkpoint with its JSON header edited, its length and checksum set to match. */
    private static void editHeader(Path f, java.util.function.UnaryOperator<String> edit) throws IOException {
        byte[] b = Files.readAllBytes(f);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int n = in.getInt(8);
        byte[] header = edit.apply(new String(b, 12, n, java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(b.length - n + header.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put(b, 0, 8).putInt(header.length).put(header).put(b, 12 + n, b.length - 12 - n - 8);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(out.array(), 0, out.position());
        out.putLong(crc.getValue());
        Files.write(f, out.array());
    }

    /** Reading fails with an IOException whose message starts with the file and holds the fragment. */
    private static void assertDamaged(Path f, String fragment) {
        IOException e = assertThrows(IOException.class, () -> CheckpointFile.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void aDamagedHeaderWithAValidChecksumIsRefusedBeforeAllocating() throws IOException {
        Path f = dir.resolve("h.ckpt");
        CheckpointFile.write(f, sample(10));
        byte[] good = Files.readAllBytes(f);
        // An array without a shape (was a NullPointerException).
        editHeader(f, h -> h.replaceFirst("\"shape\": \\[[^\\]]*\\]", "\"shape\": null"));
        assertDamaged(f, "no name or no shape");
        // Sizes whose product overflows a long to 0 (was read as an empty array).
        Files.write(f, good);
        editHeader(f, h -> h.replaceFirst("\"shape\": \\[[^\\]]*\\]", "\"shape\": [4294967296, 4294967296]"));
        assertDamaged(f, "truncated at enc0.a.conv.w");
        // A spec that describes no network (was refused later, by the engine, without the file).
        Files.write(f, good);
        editHeader(f, h -> h.replaceFirst("\"classes\": 3", "\"classes\": 1"));
        assertDamaged(f, "classes must be 2 .. 256");
        // An array twice.
        Files.write(f, good);
        editHeader(f, h -> h.replace("\"name\": \"head0.b\"", "\"name\": \"empty\""));
        assertDamaged(f, "holds the array empty twice");
    }

    @Test
    void shapeMustMatchValues() {
        assertThrows(IllegalArgumentException.class, () -> new CheckpointFile.Array(new long[] {2, 2}, new float[3]));
    }
}

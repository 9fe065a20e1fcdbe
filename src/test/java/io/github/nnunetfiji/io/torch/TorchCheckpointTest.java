package io.github.nnunetfiji.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Checkpoints written by PyTorch (Debian's 1.13, src/test/resources/.../io/torch/make_checkpoints.py)
 * read as PyTorch reads them (values and shapes from the same script, expected.json), and files that
 * are not checkpoints of weights refused with the file named.
 */
class TorchCheckpointTest {

    static final Path FIXTURES = Path.of("src/test/resources/io/github/nnunetfiji/io/torch");

    @TempDir
    Path tmp;

    private static JsonObject expected(String file) throws IOException {
        return JsonParser.parseString(Files.readString(FIXTURES.resolve("expected.json"))).getAsJsonObject()
                .getAsJsonObject(file);
    }

    private static void assertTensor(JsonObject want, TorchTensor t, String name) {
        assertEquals(want.get("dtype").getAsString(), dtypeName(t.dtype()), name + " dtype");
        long[] shape = new long[want.getAsJsonArray("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = want.getAsJsonArray("shape").get(i).getAsLong();
        }
        assertArrayEquals(shape, t.shape(), name + " shape");
        float[] v = t.values();
        assertEquals(Arrays.stream(shape).reduce(1, (a, b) -> a * b), v.length, name + " size");
        double sum = 0;
        for (float x : v) {
            sum += x;
        }
        double s = want.get("sum").getAsDouble();
        assertEquals(s, sum, 1e-5 * Math.max(1, Math.abs(s)), name + " sum");
        for (int i = 0; i < want.getAsJsonArray("first").size(); i++) {
            double w = want.getAsJsonArray("first").get(i).getAsDouble();
            assertEquals(w, v[i], 1e-6 * Math.max(1, Math.abs(w)), name + " value " + i);
        }
    }

    private static String dtypeName(TorchDtype d) {
        return switch (d) {
            case FLOAT32 -> "float32";
            case FLOAT16 -> "float16";
            case BFLOAT16 -> "bfloat16";
            case FLOAT64 -> "float64";
            case INT64 -> "int64";
            default -> d.name().toLowerCase();
        };
    }

    @Test
    void stateDictReadsAsPyTorchWroteIt() throws IOException {
        TorchCheckpoint c = TorchCheckpoint.read(FIXTURES.resolve("state_dict.pth"));
        Map<String, TorchTensor> tensors = c.tensors();
        JsonObject want = expected("state_dict.pth");
        assertEquals(want.keySet(), tensors.keySet());
        for (String name : want.keySet()) {
            assertTensor(want.getAsJsonObject(name), tensors.get(name), name);
        }
        // The reference's blocks hold each module twice (conv and all_modules.0): one storage.
        assertTrue(tensors.get("conv.weight").sameView(tensors.get("all_modules.0.weight")));
        assertArrayEquals(new long[] {4, 2, 1, 3, 3}, tensors.get("conv.weight").shape());
        // Views with strides and an offset: base = arange(60).reshape(6, 10) / 7.
        float[] transposed = tensors.get("transposed").values();
        assertEquals(10f / 7, transposed[1], 1e-6);
        assertEquals(1f / 7, transposed[6], 1e-6);
        assertArrayEquals(new float[] {23f / 7, 25f / 7, 27f / 7}, Arrays.copyOf(tensors.get("sliced").values(), 3),
                1e-6f);
        assertArrayEquals(new long[0], tensors.get("scalar").shape());
        assertEquals(2.5f, tensors.get("scalar").values()[0]);
    }

    /**
     * PyTorch 2.x's layout (top folder 'archive', .format_version, .storage_alignment, byteorder,
     * .data/serialization_id, stored entries whose data start at multiples of 64 behind an 'FB'
     * padding field): state_dict.pth rewritten so by make_reference_models.py, read alike.
     */
    @Test
    void pyTorch2LayoutReadsAlike() throws IOException {
        Path file = FIXTURES.resolve("state_dict_torch2.pth");
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
            assertTrue(z.getEntry("archive/.data/serialization_id") != null && z.getEntry("archive/.format_version") != null
                    && z.getEntry("archive/.storage_alignment") != null, "not the 2.x layout");
        }
        Map<String, TorchTensor> tensors = TorchCheckpoint.read(file).tensors();
        Map<String, TorchTensor> original = TorchCheckpoint.read(FIXTURES.resolve("state_dict.pth")).tensors();
        JsonObject want = expected("state_dict.pth");
        assertEquals(want.keySet(), tensors.keySet());
        for (String name : want.keySet()) {
            assertTensor(want.getAsJsonObject(name), tensors.get(name), name);
            assertArrayEquals(original.get(name).values(), tensors.get(name).values(), name);
        }
    }

    @Test
    void referenceCheckpointMetadataAndWeights() throws IOException {
        TorchCheckpoint c = TorchCheckpoint.read(FIXTURES.resolve("reference_like.pth"));
        assertEquals(2L, c.get("current_epoch"));
        assertEquals("nnUNetTrainer", c.get("trainer_name"));
        assertNull(c.get("grad_scaler_state"));
        assertEquals(0.375, c.get("_best_ema"));
        assertEquals(List.of(0.25, 0.5), c.get("logging", "mean_fg_dice"));
        assertEquals(List.of(0.75, -0.125), c.get("logging", "train_losses"));
        assertEquals(List.of(0L, 1L), c.get("inference_allowed_mirroring_axes"));
        assertEquals(new TorchDevice("cpu", null), c.get("init_args", "device"));
        assertEquals("2d", c.get("init_args", "configuration"));
        assertEquals(List.of(8L, 8L), c.get("init_args", "plans", "configurations", "2d", "patch_size"));
        assertEquals(1L << 40, c.get("init_args", "big"));
        assertEquals(-5L, c.get("init_args", "neg"));
        assertEquals(Boolean.TRUE, c.get("init_args", "unpack_dataset"));
        assertEquals(Boolean.FALSE, c.get("init_args", "flag"));
        assertEquals(1.5, c.get("init_args", "float32"));
        assertEquals(-3L, c.get("init_args", "int64"));
        assertArrayEquals(new byte[] {0, (byte) 0xff, 'a', 'b'}, (byte[]) c.get("init_args", "bytes"));

        JsonObject want = expected("reference_like.pth");
        Map<String, TorchTensor> weights = c.tensors("network_weights");
        JsonObject w = want.getAsJsonObject("network_weights");
        assertEquals(w.keySet(), weights.keySet());
        for (String name : w.keySet()) {
            assertTensor(w.getAsJsonObject(name), weights.get(name), name);
        }
        assertTrue(weights.get("alias.weight").sameView(weights.get("conv.weight")));
        @SuppressWarnings("unchecked")
        Map<Object, Object> state = (Map<Object, Object>) c.get("optimizer_state", "state");
        @SuppressWarnings("unchecked")
        TorchTensor momentum = (TorchTensor) ((Map<Object, Object>) state.get(0L)).get("momentum_buffer");
        assertTensor(want.getAsJsonObject("momentum_buffer_0"), momentum, "momentum");

        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> c.get("init_args", "nope"));
        assertTrue(e.getMessage().contains("reference_like.pth") && e.getMessage().contains("init_args/nope"),
                e.getMessage());
        e = assertThrows(TorchCheckpointException.class, () -> c.tensors("init_args"));
        assertTrue(e.getMessage().contains("not a tensor"), e.getMessage());
    }

    @Test
    void codeIsRefused() throws IOException {
        Path file = FIXTURES.resolve("malicious.pth");
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().startsWith("Refusing to read " + file), e.getMessage());
        assertTrue(e.getMessage().contains("os.system"), e.getMessage());
        assertFalse(Files.exists(Path.of("pwned")));
        // The same by STACK_GLOBAL (protocol 4).
        byte[] pickle = new Pickle().proto().unicode("builtins").unicode("eval").op(0x93).unicode("1+1").op(0x85)
                .op('R').stop();
        e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.read(zip("eval.pth", pickle)));
        assertTrue(e.getMessage().contains("builtins.eval"), e.getMessage());
        // An opcode outside the set (INST, protocol 0's call of any class).
        e = assertThrows(TorchCheckpointException.class,
                () -> TorchCheckpoint.read(zip("inst.pth", "\u0080\u0002(ios\nsystem\n.".getBytes(StandardCharsets.ISO_8859_1))));
        assertTrue(e.getMessage().contains("opcode 'i'"), e.getMessage());
    }

    @Test
    void damagedAndForeignFilesAreRefusedWithTheFileNamed() throws IOException {
        byte[] whole = Files.readAllBytes(FIXTURES.resolve("state_dict.pth"));
        Path cut = Files.write(tmp.resolve("cut.pth"), Arrays.copyOf(whole, whole.length / 2));
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.read(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("copy or download it again"),
                e.getMessage());
        Path text = Files.writeString(tmp.resolve("plans.json"), "{}");
        e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.read(text));
        assertTrue(e.getMessage().contains(text + " is not a PyTorch checkpoint"), e.getMessage());
        Path legacy = Files.write(tmp.resolve("legacy.pth"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10});
        e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.read(legacy));
        assertTrue(e.getMessage().contains("legacy format"), e.getMessage());
        // A pickle cut short inside the zip.
        byte[] half = Arrays.copyOf(new Pickle().proto().op('}').unicode("a").unicode("b").op('s').stop(), 6);
        e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.read(zip("short.pth", half)));
        assertTrue(e.getMessage().contains("short.pth") && e.getMessage().contains("cut short"), e.getMessage());
    }

    @Test
    void unsafeZipsAreRefused() throws IOException {
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class,
                () -> TorchCheckpoint.read(FIXTURES.resolve("link.pth")));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());

        Path outside = tmp.resolve("outside.pth");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(outside))) {
            put(z, "archive/data.pkl", new Pickle().proto().op('}').stop());
            put(z, "archive/../../evil", new byte[1]);
        }
        e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.read(outside));
        assertTrue(e.getMessage().contains("archive/../../evil"), e.getMessage());

        // 8 MiB of zeros deflate to a few KiB: refused while inflating.
        int elements = 2 << 20;
        Path bomb = tmp.resolve("bomb.pth");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bomb))) {
            put(z, "archive/data.pkl", tensorPickle("FloatStorage", elements, 0, elements));
            put(z, "archive/data/0", new byte[elements * 4]);
        }
        e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.read(bomb));
        assertTrue(e.getMessage().contains("expands more than"), e.getMessage());
    }

    @Test
    void storagesAndViewsAreChecked() throws IOException {
        byte[] eight = new byte[8];
        Path ok = zip("ok.pth", tensorPickle("FloatStorage", 2, 0, 2), "archive/data/0", eight);
        assertArrayEquals(new float[2], TorchCheckpoint.read(ok).tensors().get("t").values());
        Path shortStorage = zip("short_storage.pth", tensorPickle("FloatStorage", 3, 0, 3), "archive/data/0", eight);
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class,
                () -> TorchCheckpoint.read(shortStorage));
        assertTrue(e.getMessage().contains("8 bytes where its pickle declares 3 elements"), e.getMessage());
        Path beyond = zip("beyond.pth", tensorPickle("FloatStorage", 2, 1, 2), "archive/data/0", eight);
        e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.read(beyond));
        assertTrue(e.getMessage().contains("reaching beyond its storage"), e.getMessage());
        Path missing = zip("missing.pth", tensorPickle("FloatStorage", 2, 0, 2));
        e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.read(missing));
        assertTrue(e.getMessage().contains("lacks the entry archive/data/0"), e.getMessage());
        Path unknownStorage = zip("complex.pth", tensorPickle("ComplexFloatStorage", 1, 0, 1), "archive/data/0", eight);
        e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.read(unknownStorage));
        assertTrue(e.getMessage().contains("torch.ComplexFloatStorage"), e.getMessage());
    }

    /** {'t': a 1-D tensor of {@code size} elements at {@code offset} of a storage of {@code elements}}. */
    private static byte[] tensorPickle(String storage, int elements, int offset, int size) {
        return new Pickle().proto().op('}').unicode("t").global("torch._utils", "_rebuild_tensor_v2").op('(')
                .op('(').unicode("storage").global("torch", storage).unicode("0").unicode("cpu").integer(elements)
                .op('t').op('Q').integer(offset).integer(size).op(0x85).integer(1).op(0x85).op(0x89)
                .global("collections", "OrderedDict").op(')').op('R').op('t').op('R').op('s').stop();
    }

    private Path zip(String name, byte[] pickle, Object... entries) throws IOException {
        Path file = tmp.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            put(z, "archive/data.pkl", pickle);
            for (int i = 0; i < entries.length; i += 2) {
                put(z, (String) entries[i], (byte[]) entries[i + 1]);
            }
        }
        return file;
    }

    private static void put(ZipOutputStream z, String name, byte[] data) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(data);
        z.closeEntry();
    }

    /** A pickle written opcode by opcode. */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int op) {
            out.write(op);
            return this;
        }

        Pickle proto() {
            return op(0x80).op(2);
        }

        Pickle unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            le(b.length);
            out.writeBytes(b);
            return this;
        }

        Pickle integer(int v) {
            op('J');
            le(v);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        byte[] stop() {
            op('.');
            return out.toByteArray();
        }

        private void le(int v) {
            for (int i = 0; i < 4; i++) {
                out.write(v >>> (8 * i));
            }
        }
    }

}

package io.github.nnunetfiji.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionedJsonTest {

    @TempDir
    Path dir;

    static final class Numbered {
        int format;
        String value;
    }

    static final class WithArray {
        int format;
        long[] sizes;
    }

    static final class Named {
        String format;
        int version;
        double value;
    }

    private static final VersionedJson.Layout NUMBERED = VersionedJson.Layout.numbered("a test file", 3,
            "run 'nnunet test' again");
    private static final VersionedJson.Layout NAMED = VersionedJson.Layout.named("a named file", "nnunet-fiji-test",
            2, "write it again");

    private Path file(String name, String json) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, json);
        return f;
    }

    @Test
    void readsAFileOfTheExpectedLayout() throws IOException {
        Numbered n = VersionedJson.read(file("n.json", "{\"format\": 3, \"value\": \"x\"}"), Numbered.class, NUMBERED);
        assertEquals("x", n.value);
        Named m = VersionedJson.read(file("m.json", "{\"format\": \"nnunet-fiji-test\", \"version\": 2, \"value\": 1.5}"),
                Named.class, NAMED);
        assertEquals(1.5, m.value);
    }

    @Test
    void anotherVersionIsRefusedNamingTheFileBothVersionsAndTheFix() throws IOException {
        Path f = file("old.json", "{\"format\": 2, \"value\": [1, 2]}");
        IOException e = assertThrows(IOException.class, () -> VersionedJson.read(f, Numbered.class, NUMBERED));
        String m = e.getMessage();
        assertTrue(m.contains(f.toString()) && m.contains("format 2") && m.contains("format 3")
                && m.endsWith("run 'nnunet test' again"), m);

        Path g = file("g.json", "{\"format\": \"nnunet-fiji-test\", \"version\": 1}");
        m = assertThrows(IOException.class, () -> VersionedJson.read(g, Named.class, NAMED)).getMessage();
        assertTrue(m.contains("version 1") && m.contains("nnunet-fiji-test version 2") && m.endsWith("write it again"), m);

        Path other = file("other.json", "{\"format\": \"something-else\", \"version\": 2}");
        m = assertThrows(IOException.class, () -> VersionedJson.read(other, Named.class, NAMED)).getMessage();
        assertTrue(m.contains("something-else"), m);
    }

    @Test
    void missingFieldsMalformedTextAndNonObjectsAreRefused() throws IOException {
        Path none = file("none.json", "{\"value\": \"x\"}");
        assertTrue(assertThrows(IOException.class, () -> VersionedJson.read(none, Numbered.class, NUMBERED))
                .getMessage().contains("format (none)"));
        Path noVersion = file("nv.json", "{\"format\": \"nnunet-fiji-test\"}");
        assertTrue(assertThrows(IOException.class, () -> VersionedJson.read(noVersion, Named.class, NAMED))
                .getMessage().contains("version (none)"));
        Path bad = file("bad.json", "{\"format\": 3,");
        assertTrue(assertThrows(IOException.class, () -> VersionedJson.read(bad, Numbered.class, NUMBERED))
                .getMessage().contains("not valid JSON"));
        Path array = file("array.json", "[1, 2]");
        assertTrue(assertThrows(IOException.class, () -> VersionedJson.read(array, Numbered.class, NUMBERED))
                .getMessage().contains("not a JSON object"));
        Path empty = file("empty.json", "");
        assertTrue(assertThrows(IOException.class, () -> VersionedJson.read(empty, Numbered.class, NUMBERED))
                .getMessage().contains("empty"));
        // Right layout, wrong field type: damaged, with the fix.
        Path damaged = file("damaged.json", "{\"format\": 3, \"value\": {\"a\": 1}}");
        String m = assertThrows(IOException.class, () -> VersionedJson.read(damaged, Numbered.class, NUMBERED))
                .getMessage();
        assertTrue(m.contains("damaged") && m.endsWith("run 'nnunet test' again"), m);
    }

    @Test
    void damagedFilesGiveErrorsNamingThemNotTheParsersInternals() throws IOException {
        // A null in a primitive array: Gson throws IllegalArgumentException without a message.
        Path nulls = file("nulls.json", "{\"format\": 3, \"sizes\": [1, null]}");
        String m = assertThrows(IOException.class, () -> VersionedJson.read(nulls, WithArray.class, NUMBERED))
                .getMessage();
        assertTrue(m.startsWith(nulls.toString()) && m.contains("damaged") && m.contains("wrong type")
                && m.endsWith("run 'nnunet test' again"), m);
        // The parser's own words, not the class names of its exceptions.
        m = assertThrows(IOException.class, () -> VersionedJson.read(file("str.json",
                "{\"format\": 3, \"sizes\": \"x\"}"), WithArray.class, NUMBERED)).getMessage();
        assertTrue(m.contains("Expected BEGIN_ARRAY but was STRING") && !m.contains("java.lang"), m);
        // A format nested deeper than a stack: named by its kind, not printed.
        Path deep = file("deep.json", "{\"format\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        m = assertThrows(IOException.class, () -> VersionedJson.read(deep, Numbered.class, NUMBERED)).getMessage();
        assertTrue(m.contains("format (an array)"), m);
        // Bytes that are not UTF-8: not a JSON file, said so.
        Path binary = dir.resolve("binary.json");
        Files.write(binary, new byte[] {'{', (byte) 0xFF, (byte) 0xFE, '}'});
        m = assertThrows(IOException.class, () -> VersionedJson.read(binary, Numbered.class, NUMBERED)).getMessage();
        assertTrue(m.startsWith(binary.toString()) && m.contains("not text (UTF-8)"), m);
    }

    @Test
    void isCurrentAndTextInput() throws IOException {
        assertTrue(VersionedJson.isCurrent(file("a.json", "{\"format\": 3}"), NUMBERED));
        assertFalse(VersionedJson.isCurrent(file("b.json", "{\"format\": 1}"), NUMBERED));
        assertEquals("y", VersionedJson.fromJson("{\"format\": 3, \"value\": \"y\"}", "x.bin (header)", Numbered.class,
                NUMBERED).value);
        String m = assertThrows(IOException.class, () -> VersionedJson.fromJson("{\"format\": 4}", "x.bin (header)",
                Numbered.class, NUMBERED)).getMessage();
        assertTrue(m.startsWith("x.bin (header)"), m);
    }

    @Test
    void halvesRoundToEvenAsPythonDoes() {
        // Python: round(0.5), round(1.5), round(2.5), round(-2.5) = 0, 2, 2, -2.
        assertEquals(0, Rounding.halfEven(0.5));
        assertEquals(2, Rounding.halfEven(1.5));
        assertEquals(2, Rounding.halfEven(2.5));
        assertEquals(4, Rounding.halfEven(3.5));
        assertEquals(-2, Rounding.halfEven(-2.5));
        assertEquals(3, Rounding.halfEven(2.5000001));
    }
}

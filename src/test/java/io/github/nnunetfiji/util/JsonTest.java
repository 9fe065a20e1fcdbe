package io.github.nnunetfiji.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {

    @TempDir
    Path tmp;

    record Stats(String name, double mean, float[] values) {
    }

    record Holder(List<Stats> stats, Map<String, Double> extra) {
    }

    @Test
    void refusesNaNAndInfinityNamingTheFileAndTheField() {
        Path file = tmp.resolve("out.json");
        Holder h = new Holder(List.of(new Stats("a", 1, new float[] {1}), new Stats("b", Double.NaN, new float[] {2})),
                Map.of());
        Json.NonFiniteNumberException e = assertThrows(Json.NonFiniteNumberException.class, () -> Json.write(file, h));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("stats[1].mean is NaN"), e.getMessage());
        assertFalse(Files.exists(file), "nothing is written");

        Holder inf = new Holder(List.of(new Stats("c", 0, new float[] {0, Float.NEGATIVE_INFINITY})), Map.of());
        e = assertThrows(Json.NonFiniteNumberException.class, () -> Json.toJson(inf));
        assertTrue(e.getMessage().contains("stats[0].values[1] is -Infinity"), e.getMessage());
        e = assertThrows(Json.NonFiniteNumberException.class,
                () -> Json.toJson(new Holder(List.of(), Map.of("x", Double.POSITIVE_INFINITY))));
        assertTrue(e.getMessage().contains("extra.x is Infinity"), e.getMessage());
    }

    @Test
    void finiteValuesAreWrittenAsBeforeAndReadBack() throws Exception {
        Path file = tmp.resolve("ok.json");
        Stats s = new Stats("a", 0.1, new float[] {0.1f, -3e-9f, 1e30f});
        Json.write(file, s);
        String text = Files.readString(file);
        assertEquals(Json.gson().toJson(s) + "\n", text, "same text as plain Gson for finite values");
        Stats back = Json.read(file, Stats.class);
        assertEquals(0.1, back.mean());
        assertEquals(1e30f, back.values()[2]);
    }

    @Test
    void oldFilesWithNaNStillRead() throws Exception {
        Path file = tmp.resolve("old.json");
        Files.writeString(file, "{\"name\": \"a\", \"mean\": NaN, \"values\": []}");
        assertTrue(Double.isNaN(Json.read(file, Stats.class).mean()));
    }

    @Test
    void valuesOfTheWrongTypeGiveAnErrorNamingTheFile() throws Exception {
        Path file = tmp.resolve("nulls.json");
        // Gson rejects a null in a float array with a bare IllegalArgumentException.
        Files.writeString(file, "{\"name\": \"a\", \"mean\": 1, \"values\": [1, null]}");
        String m = assertThrows(java.io.IOException.class, () -> Json.read(file, Stats.class)).getMessage();
        assertTrue(m.startsWith(file.toString()) && m.contains("wrong type"), m);
        Files.writeString(file, "{\"name\": \"a\", \"mean\": [1], \"values\": []}");
        m = assertThrows(java.io.IOException.class, () -> Json.read(file, Stats.class)).getMessage();
        assertTrue(m.startsWith(file.toString()) && m.contains("Expected a double but was BEGIN_ARRAY")
                && !m.contains("java.lang"), m);
    }
}

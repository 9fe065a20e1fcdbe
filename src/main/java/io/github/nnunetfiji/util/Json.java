package io.github.nnunetfiji.util;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

/** The project's JSON settings: pretty, stable, NaN allowed (fingerprints may hold it). */
public final class Json {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private Json() {
    }

    public static Gson gson() {
        return GSON;
    }

    public static String toJson(Object o) {
        return GSON.toJson(o);
    }

    /** Writes an object as JSON, atomically. */
    public static void write(Path file, Object o) throws IOException {
        AtomicFiles.writeString(file, GSON.toJson(o) + "\n");
    }

    /** Reads a JSON file into a class; a malformed file gives an error naming it. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            T t = GSON.fromJson(r, type);
            if (t == null) {
                throw new IOException(file + " is empty; expected a JSON object");
            }
            return t;
        } catch (JsonParseException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}

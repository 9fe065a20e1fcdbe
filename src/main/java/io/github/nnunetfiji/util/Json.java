package io.github.nnunetfiji.util;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;

/**
 * The project's JSON settings: pretty and stable. Strict JSON has no NaN or Infinity, and other
 * tools (Python's {@code json} with {@code allow_nan=False}, JavaScript, most parsers) reject them,
 * so {@link #write} and {@link #toJson} refuse to produce them and name the field that holds one.
 * Reading stays lenient, so files written by older versions still open.
 */
public final class Json {

    /** Lenient: reads NaN where an old file holds it; every write goes through {@link #checkFinite}. */
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private Json() {
    }

    /** The project's Gson, for reading; write through {@link #write} or {@link #toJson}, which check numbers. */
    public static Gson gson() {
        return GSON;
    }

    /**
     * The object as JSON text.
     *
     * @throws NonFiniteNumberException if a number in it is NaN or infinite
     */
    public static String toJson(Object o) {
        return toCheckedJson(o, "JSON text");
    }

    /**
     * The object as JSON text, for a file written by other means (e.g. a header inside a binary file).
     *
     * @param o     the object
     * @param where the file the text goes to, named in the error
     * @throws NonFiniteNumberException if a number in it is NaN or infinite
     */
    public static String toJson(Object o, String where) {
        return toCheckedJson(o, where);
    }

    /**
     * Writes an object as JSON, atomically.
     *
     * @throws NonFiniteNumberException if a number in it is NaN or infinite (nothing is written)
     */
    public static void write(Path file, Object o) throws IOException {
        AtomicFiles.writeString(file, toCheckedJson(o, file.toString()) + "\n");
    }

    private static String toCheckedJson(Object o, String where) {
        JsonElement tree = GSON.toJsonTree(o);
        checkFinite(tree, "", where);
        return GSON.toJson(tree);
    }

    /** A NaN or infinite number in an object about to be written as JSON. */
    public static final class NonFiniteNumberException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NonFiniteNumberException(String message) {
            super(message);
        }
    }

    private static void checkFinite(JsonElement e, String path, String where) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double v = e.getAsDouble();
            if (!Double.isFinite(v)) {
                throw new NonFiniteNumberException("Refusing to write " + where + ": field "
                        + (path.isEmpty() ? "(top level)" : path) + " is " + v
                        + "; JSON holds only finite numbers, so nothing was written");
            }
        } else if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                checkFinite(a.get(i), path + "[" + i + "]", where);
            }
        } else if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
                checkFinite(m.getValue(), path.isEmpty() ? m.getKey() : path + "." + m.getKey(), where);
            }
        }
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
            if (e.getCause() instanceof CharacterCodingException c) {
                throw notText(file, c);
            }
            throw new IOException(file + " is not valid JSON: " + reason(e), e);
        } catch (CharacterCodingException e) {
            throw notText(file, e);
        } catch (RuntimeException e) {
            // Binding untrusted values: Gson also throws IllegalStateException, NumberFormatException,
            // and IllegalArgumentException (a null in a primitive array) for values of the wrong type.
            throw new IOException(file + " does not hold what it should: " + reason(e), e);
        }
    }

    /**
     * What went wrong in reading or binding JSON, as one phrase: the innermost useful message
     * (Gson wraps the parser's own, e.g. "Expected BEGIN_ARRAY but was STRING at path $.x"), or
     * the kind of problem where there is no message.
     */
    public static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return "a value of the wrong type (" + t.getClass().getSimpleName() + ")";
        }
        return m;
    }

    /** A JSON file's text; a binary file gives an error naming it (not the decoder's "Input length = 1"). */
    public static String readText(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw notText(file, e);
        }
    }

    private static IOException notText(Path file, CharacterCodingException e) {
        return notText(file.toString(), e);
    }

    /** A JSON file ({@code where}) holding bytes that are not UTF-8 text, in words. */
    static IOException notText(String where, CharacterCodingException e) {
        return new IOException(where + " is not a JSON file: it holds bytes that are not text (UTF-8); give the JSON"
                + " file this option expects", e);
    }
}

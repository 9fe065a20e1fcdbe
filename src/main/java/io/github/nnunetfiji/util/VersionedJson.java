package io.github.nnunetfiji.util;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;

/**
 * Reading the project's JSON files that carry their layout's version: the file is parsed, its
 * {@code format} (and {@code version}) fields are checked against what this build reads, and only
 * then is it bound to its class. A file of another layout is refused with an error naming the file,
 * both versions and the stage that rewrites it ({@link ExplainedIOException}), instead of
 * half-reading it.
 */
public final class VersionedJson {

    /**
     * What a file must say about its layout.
     *
     * @param what    the kind of file, for messages (e.g. {@code plans})
     * @param format  the expected {@code format} value: a number, or a name
     * @param version the expected {@code version} value, or null if the file has none (the format is the version)
     * @param fix     what rewrites the file, naming the stage that makes it (e.g. "run
     *                {@link StageName#PLAN} again"), for each surface to word
     */
    public record Layout(String what, JsonPrimitive format, Integer version, Message fix) {
        public Layout {
            Objects.requireNonNull(what);
            Objects.requireNonNull(format);
            Objects.requireNonNull(fix);
        }

        /**
         * A layout written as {@code "format": N}.
         *
         * @param what   the kind of file
         * @param format the version number
         * @param fix    what rewrites the file
         * @return the layout
         */
        public static Layout numbered(String what, int format, Message fix) {
            return new Layout(what, new JsonPrimitive(format), null, fix);
        }

        /** As {@link #numbered(String, int, Message)}, with a fix that names no field or stage. */
        public static Layout numbered(String what, int format, String fix) {
            return numbered(what, format, Message.of(fix));
        }

        /**
         * A layout written as {@code "format": "NAME", "version": N}.
         *
         * @param what    the kind of file
         * @param format  the name of the file type
         * @param version the version number
         * @param fix     what rewrites the file
         * @return the layout
         */
        public static Layout named(String what, String format, int version, Message fix) {
            return new Layout(what, new JsonPrimitive(format), version, fix);
        }

        /** As {@link #named(String, String, int, Message)}, with a fix that names no field or stage. */
        public static Layout named(String what, String format, int version, String fix) {
            return named(what, format, version, Message.of(fix));
        }

        private String expected() {
            return version == null ? "format " + format : format.getAsString() + " version " + version;
        }
    }

    private VersionedJson() {
    }

    /**
     * Reads a versioned JSON file into a class.
     *
     * @param file   the file
     * @param type   the class to bind to
     * @param layout what the file must say about its layout
     * @param <T>    the class
     * @return the object
     * @throws IOException naming the file and the fix if it cannot be read, is not JSON, or has
     *         another layout
     */
    public static <T> T read(Path file, Class<T> type, Layout layout) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return bind(parse(r, file.toString()), file.toString(), type, layout);
        }
    }

    /**
     * Reads versioned JSON text (e.g. a header inside a binary file) into a class.
     *
     * @param json   the text
     * @param where  the file it came from, for messages
     * @param type   the class to bind to
     * @param layout what the text must say about its layout
     * @param <T>    the class
     * @return the object
     * @throws IOException naming {@code where} and the fix if the text is not JSON or has another layout
     */
    public static <T> T fromJson(String json, String where, Class<T> type, Layout layout) throws IOException {
        return bind(parse(new StringReader(json), where), where, type, layout);
    }

    /**
     * Whether a file has the layout this build reads (a file of another layout is then rewritten
     * rather than refused).
     *
     * @param file   the file
     * @param layout the layout
     * @return true if its format (and version) fields match
     * @throws IOException if it cannot be read or is not a JSON object
     */
    public static boolean isCurrent(Path file, Layout layout) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return mismatch(parse(r, file.toString()), layout) == null;
        }
    }

    private static JsonObject parse(Reader r, String where) throws IOException {
        JsonElement e;
        try {
            e = Json.gson().fromJson(r, JsonElement.class);
        } catch (JsonParseException ex) {
            if (ex.getCause() instanceof CharacterCodingException c) {
                throw Json.notText(where, c);
            }
            throw new IOException(where + " is not valid JSON: " + Json.reason(ex), ex);
        }
        if (e == null || !e.isJsonObject()) {
            throw new IOException(where + " is " + (e == null ? "empty" : "not a JSON object") + "; expected a JSON object");
        }
        return e.getAsJsonObject();
    }

    /** What the object says instead of the expected layout, or null if it matches. */
    private static String mismatch(JsonObject o, Layout layout) {
        JsonElement format = o.get("format");
        if (!layout.format().equals(format)) {
            return "format " + shown(format);
        }
        if (layout.version() != null) {
            JsonElement version = o.get("version");
            if (version == null || !version.isJsonPrimitive() || !version.getAsJsonPrimitive().isNumber()
                    || version.getAsDouble() != layout.version()) {
                return format.getAsString() + " version " + shown(version);
            }
        }
        return null;
    }

    /**
     * A field's value for a message: a number or a short string as it is; an array or object only
     * by its kind, as printing one nested thousands deep would overflow the stack.
     */
    private static String shown(JsonElement e) {
        if (e == null) {
            return "(none)";
        }
        if (e.isJsonArray()) {
            return "(an array)";
        }
        if (e.isJsonObject()) {
            return "(an object)";
        }
        String s = e.toString();
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static <T> T bind(JsonObject o, String where, Class<T> type, Layout layout) throws IOException {
        String found = mismatch(o, layout);
        if (found != null) {
            throw new ExplainedIOException(Message.of(where, " is not ", layout.what(), " of this version: it has ",
                    found, ", this version reads ", layout.expected(), "; ", layout.fix()));
        }
        try {
            return Json.gson().fromJson(o, type);
        } catch (RuntimeException e) {
            // Gson fails on values of the wrong type in several ways: JsonParseException,
            // IllegalStateException, NumberFormatException, IllegalArgumentException (a null in a
            // primitive array, without a message); all say the file is damaged.
            throw new ExplainedIOException(Message.of(where, " is damaged: ", Json.reason(e), "; ", layout.fix()), e);
        }
    }
}

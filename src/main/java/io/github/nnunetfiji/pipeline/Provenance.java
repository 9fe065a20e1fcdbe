package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.VersionedJson;

/**
 * What one result was made from: its source files (size, modification time, content hash) and
 * the other inputs that shape it (plan signature, data set statistics, format versions). A stage
 * reuses an earlier result only when the record stored beside it has the same {@link #key()};
 * otherwise it makes the result again, and {@link #differenceFrom} says why.
 *
 * <p>Records live apart from the results, under {@code WORK/<data set>/provenance/}, so the
 * results themselves are the same files whether or not a record was kept. A result without a
 * record (made by an older version) is never reused.
 */
public final class Provenance {

    static final String FORMAT = "nnunet-fiji-provenance";
    static final int VERSION = 1;

    // Not constants: they are read back from files, and a constant field would be inlined.
    private final String format;
    private final int version;
    private final String result;
    private final String key;
    private final List<SourceFile> sources;
    private final TreeMap<String, String> inputs;

    private Provenance(String result, List<SourceFile> sources, Map<String, String> inputs) {
        this.format = FORMAT;
        this.version = VERSION;
        this.result = result;
        this.sources = List.copyOf(sources);
        this.inputs = new TreeMap<>(inputs);
        this.key = computeKey(result, this.sources, this.inputs);
    }

    /**
     * @param result  what the record is for, e.g. {@code preprocessed case BRATS_001}
     * @param sources the files it is made from, in a fixed order
     * @param inputs  every other input, by name (values compared as text)
     */
    public static Provenance of(String result, List<SourceFile> sources, Map<String, String> inputs) {
        return new Provenance(result, sources, inputs);
    }

    /** A SHA-256 over everything the result was made from. */
    public String key() {
        return key;
    }

    /** True if a record exists at {@code file} with the same key. */
    public boolean matches(Path file) {
        Provenance before = readIfPresent(file);
        return before != null && before.key.equals(key);
    }

    /** Why the record at {@code file} does not match this one, for people; null if it does. */
    public String differenceFrom(Path file) {
        Provenance before = readIfPresent(file);
        if (before == null) {
            return "no record of what it was made from";
        }
        return before.key.equals(key) ? null : differenceFrom(before);
    }

    String differenceFrom(Provenance before) {
        List<String> why = new ArrayList<>();
        Map<String, SourceFile> old = new LinkedHashMap<>();
        before.sources.forEach(s -> old.put(s.name(), s));
        for (SourceFile s : sources) {
            SourceFile o = old.remove(s.name());
            if (o == null) {
                why.add(s.name() + " is new");
            } else if (!s.differenceFrom(o).isEmpty()) {
                why.add(s.name() + " changed (" + s.differenceFrom(o) + ")");
            }
        }
        old.keySet().forEach(n -> why.add(n + " is gone"));
        for (Map.Entry<String, String> e : inputs.entrySet()) {
            if (!Objects.equals(e.getValue(), before.inputs.get(e.getKey()))) {
                why.add(e.getKey() + " changed");
            }
        }
        before.inputs.keySet().stream().filter(k -> !inputs.containsKey(k)).forEach(k -> why.add(k + " changed"));
        if (why.isEmpty()) {
            why.add("the record's format changed");
        }
        int shown = Math.min(3, why.size());
        String text = String.join("; ", why.subList(0, shown));
        return why.size() > shown ? text + "; and " + (why.size() - shown) + " more" : text;
    }

    /** Writes the record atomically. */
    public void write(Path file) throws IOException {
        Json.write(file, this);
    }

    /** Removes a record, so a result being rewritten is never taken for current. */
    public static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /** The record at {@code file}, or null if there is none or it cannot be read (then nothing is reused). */
    static Provenance readIfPresent(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Provenance p = VersionedJson.read(file, Provenance.class,
                    VersionedJson.Layout.named("a provenance record", FORMAT, VERSION, "it is computed again"));
            if (p.key == null || p.sources == null || p.inputs == null) {
                return null;
            }
            return p;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Where the record of a data set's fingerprint is kept. */
    public static Path fingerprintRecord(WorkFolder.DatasetWork work) {
        return work.root().resolve("provenance").resolve("dataset_fingerprint.json");
    }

    /** Where the record of one preprocessed case is kept. */
    public static Path preprocessedCaseRecord(WorkFolder.DatasetWork work, String dataIdentifier, String caseId) {
        return work.root().resolve("provenance").resolve("preprocessed").resolve(dataIdentifier)
                .resolve(caseId + ".json");
    }

    private static String computeKey(String result, List<SourceFile> sources, Map<String, String> inputs) {
        StringBuilder sb = new StringBuilder(FORMAT).append(' ').append(VERSION).append('\n').append(result).append('\n');
        for (SourceFile s : sources) {
            sb.append(s.name()).append('\t').append(s.size()).append('\t').append(s.modifiedMillis()).append('\t')
                    .append(s.sha256()).append('\n');
        }
        inputs.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

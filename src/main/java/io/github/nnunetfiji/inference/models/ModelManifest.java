package io.github.nnunetfiji.inference.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.github.nnunetfiji.util.VersionedJson;

/**
 * The {@value #FILE} of an exported model (docs/inference.md, "Exporting and importing models"):
 * what the export holds and each file's size and SHA-256, so an import can tell a complete,
 * unchanged export from a damaged or altered one before installing anything.
 *
 * @param format         {@value #FORMAT}
 * @param version        the layout's version, {@value #VERSION}
 * @param nnunetFiji     the version of the build that exported it
 * @param created        when it was exported (ISO-8601, UTC)
 * @param dataset        the data set's name (from the plans)
 * @param configurations the configurations, each a folder of the export
 * @param folds          per configuration, its folds
 * @param files          every other file of the export, sorted by path
 */
public record ModelManifest(String format, int version, String nnunetFiji, String created, String dataset,
        List<String> configurations, Map<String, List<String>> folds, List<FileEntry> files) {

    public static final String FILE = "manifest.json";
    public static final String FORMAT = "nnunet-fiji-model-export";
    public static final int VERSION = 1;

    private static final VersionedJson.Layout LAYOUT = VersionedJson.Layout.named("model export manifest", FORMAT,
            VERSION, "export the model again with this version");

    /** One file: its path in the export ('/'-separated), size in bytes and SHA-256 (hex). */
    public record FileEntry(String path, long size, String sha256) {
    }

    public ModelManifest {
        configurations = List.copyOf(configurations);
        folds = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(folds));
        files = List.copyOf(files);
    }

    /** Reads a manifest, refusing another format or version (naming the file and both). */
    public static ModelManifest read(Path file) throws IOException {
        ModelManifest m = VersionedJson.read(file, ModelManifest.class, LAYOUT);
        if (m.files() == null || m.configurations() == null || m.folds() == null) {
            throw new ModelRefusedException(file + " lists no files or no configurations: it is not the manifest "
                    + "of an exported model. Export the model again.");
        }
        return m;
    }

    /** The SHA-256 of a file's bytes, in lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int r; (r = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, r);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * Checks an unpacked export against this manifest: every listed file present with its size
     * and checksum, and no file it does not list.
     *
     * @param root   the folder the export was unpacked into (holding {@value #FILE})
     * @param source the zip, for the messages
     * @throws ModelRefusedException naming the first file that differs
     */
    public void verify(Path root, Path source) throws IOException {
        String fix = " The export is damaged or was changed after it was made: export the model again, "
                + "or copy the zip again.";
        Map<String, FileEntry> listed = new HashMap<>();
        for (FileEntry e : files) {
            if (e == null || e.path() == null || e.sha256() == null || listed.put(e.path(), e) != null
                    || e.path().equals(FILE)) {
                throw new ModelRefusedException("Refusing to install " + source + ": " + FILE + " lists "
                        + (e == null || e.path() == null ? "a file without a path or checksum" : e.path()
                                + " twice, or without a checksum") + "." + fix);
            }
        }
        Set<String> present = filesUnder(root);
        for (String p : present) {
            if (!p.equals(FILE) && !listed.containsKey(p)) {
                throw new ModelRefusedException("Refusing to install " + source + ": it holds " + p + ", which its "
                        + FILE + " does not list." + fix);
            }
        }
        for (FileEntry e : new java.util.TreeMap<>(listed).values()) {
            if (!present.contains(e.path())) {
                throw new ModelRefusedException("Refusing to install " + source + ": its " + FILE + " lists "
                        + e.path() + ", which it does not hold." + fix);
            }
            Path f = root.resolve(e.path());
            if (Files.size(f) != e.size() || !sha256(f).equalsIgnoreCase(e.sha256())) {
                throw new ModelRefusedException("Refusing to install " + source + ": " + e.path() + " does not match "
                        + "its size and SHA-256 in " + FILE + "." + fix);
            }
        }
    }

    /** The files under a folder, as '/'-separated relative paths (folders themselves are no entries). */
    private static Set<String> filesUnder(Path root) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(root.relativize(p).toString().replace('\\', '/'));
                }
            }
        }
        return out;
    }
}

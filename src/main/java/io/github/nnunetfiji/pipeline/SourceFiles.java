package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;

/**
 * Describes a data set's files for {@link Provenance}: size, modification time and SHA-256 of the
 * content. One instance hashes each file once however many stages ask (plan_and_preprocess asks
 * for the fingerprint and again per configuration); a file whose size or time changed meanwhile
 * is hashed again. Thread-safe.
 */
public final class SourceFiles {

    private final Path root;
    private final Map<Path, SourceFile> seen = new ConcurrentHashMap<>();

    /** @param datasetRoot names are recorded relative to this folder, so a moved data set keeps its results */
    public SourceFiles(Path datasetRoot) {
        this.root = datasetRoot.toAbsolutePath().normalize();
    }

    /** Files of a data set: its folder. */
    public static SourceFiles of(Dataset ds) {
        return new SourceFiles(ds.root());
    }

    /** The current description of one file. */
    public SourceFile describe(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
        long size = a.size();
        long modified = a.lastModifiedTime().toMillis();
        SourceFile known = seen.get(abs);
        if (known != null && known.size() == size && known.modifiedMillis() == modified) {
            return known;
        }
        SourceFile now = new SourceFile(nameOf(abs), size, modified, sha256(abs));
        seen.put(abs, now);
        return now;
    }

    /** The image files and the label file of a case, in that order. */
    public List<SourceFile> describe(CaseEntry c) throws IOException {
        List<SourceFile> out = new ArrayList<>();
        for (Path p : c.imageFiles()) {
            out.add(describe(p));
        }
        if (c.labelFile() != null) {
            out.add(describe(c.labelFile()));
        }
        return out;
    }

    private String nameOf(Path abs) {
        Path rel = abs.startsWith(root) ? root.relativize(abs) : abs;
        return rel.toString().replace('\\', '/');
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}

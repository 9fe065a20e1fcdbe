package io.github.nnunetfiji.release;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The checksum Fiji's updater records for a file (SHA-1, lowercase hex), so that a site built here
 * matches what the updater computes for the installed file.
 * <ul>
 *   <li>A jar: over its entries sorted by name, each entry's name (ASCII) then its content; lines
 *       starting with {@code #} in {@code .properties} entries are dropped (they hold build dates),
 *       and {@code META-INF/MANIFEST.MF} contributes its name only. Rebuilding an unchanged project
 *       therefore gives the same checksum.</li>
 *   <li>Any other file: over its path relative to the Fiji folder (ASCII), then its content.</li>
 * </ul>
 */
public final class UpdaterChecksum {

    private UpdaterChecksum() {
    }

    /** The checksum of {@code file}, to be installed as {@code path} (e.g. {@code jars/foo.jar}). */
    public static String of(String path, Path file) throws IOException {
        return path.endsWith(".jar") ? jar(file) : plain(path, file);
    }

    static String plain(String path, Path file) throws IOException {
        MessageDigest digest = sha1();
        digest.update(path.getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = Files.newInputStream(file)) {
            update(digest, in);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String jar(Path file) throws IOException {
        MessageDigest digest = sha1();
        try (JarFile jar = new JarFile(file.toFile(), false)) {
            List<JarEntry> entries = new ArrayList<>(Collections.list(jar.entries()));
            entries.sort(Comparator.comparing(JarEntry::getName));
            for (JarEntry e : entries) {
                digest.update(e.getName().getBytes(StandardCharsets.US_ASCII));
                if (e.getName().equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                try (InputStream in = jar.getInputStream(e)) {
                    if (e.getName().endsWith(".properties")) {
                        digest.update(new HashedLineFilter(in.readAllBytes()).filtered());
                    } else {
                        update(digest, in);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (DigestInputStream d = new DigestInputStream(in, digest)) {
            while (d.read(buffer) >= 0) {
                // the digest reads along
            }
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }

    /**
     * Drops comment lines the way the updater's reader does, quirks included: a comment line leaves
     * its newline behind, and after a lone {@code #} line the next line counts as not starting a
     * line. Written as the same state machine so that both give the same bytes.
     */
    static final class HashedLineFilter {
        private final byte[] in;
        private int pos;
        private boolean atLineStart = true;

        HashedLineFilter(byte[] in) {
            this.in = in;
        }

        byte[] filtered() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
            for (int ch = read(); ch >= 0; ch = read()) {
                out.write(ch);
            }
            return out.toByteArray();
        }

        private int read() {
            int ch = pos < in.length ? in[pos++] & 0xff : -1;
            if (atLineStart) {
                if (ch == '#') {
                    do {
                        ch = read();
                    } while (ch != '\n' && ch != -1);
                } else {
                    atLineStart = false;
                }
            } else if (ch == '\n') {
                atLineStart = true;
            }
            return ch;
        }
    }
}

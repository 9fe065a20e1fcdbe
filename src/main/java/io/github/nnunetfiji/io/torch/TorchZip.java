package io.github.nnunetfiji.io.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.github.nnunetfiji.io.ZipLinks;

/**
 * The zip container of a checkpoint (torch.save since PyTorch 1.6): {@code TOP/data.pkl}, the pickle,
 * and {@code TOP/data/KEY}, one entry per storage, under one top folder whose name varies (the file's
 * base name, or {@code archive}). Checked as the project checks every untrusted zip (as a model's,
 * in the installer): no links, no entry outside the top folder or twice, and no entry expanding
 * beyond the limits below, counted while reading since a zip's headers may lie.
 */
final class TorchZip implements AutoCloseable {

    /** Entries: one per storage; the reference's checkpoints hold a few hundred. */
    static final int MAX_ENTRIES = 100_000;
    /** The pickle holds the structure and metadata only; weights are in the storages. */
    static final long MAX_PICKLE_BYTES = 256L << 20;
    /** All storages read, together: beyond any U-Net's weights and optimizer state. */
    static final long MAX_TOTAL_BYTES = 16L << 30;
    /** Entries above this size may expand at most {@link #MAX_RATIO} times (weights barely compress). */
    static final long RATIO_FREE_BYTES = 4L << 20;
    static final int MAX_RATIO = 100;

    private final Path file;
    private final ZipFile zip;
    private final String top;
    private final Map<String, ZipEntry> entries = new HashMap<>();
    private long total;

    private TorchZip(Path file, ZipFile zip, String top) {
        this.file = file;
        this.zip = zip;
        this.top = top;
    }

    static TorchZip open(Path file) throws IOException {
        checkZipMagic(file);
        ZipFile z;
        try {
            z = new ZipFile(file.toFile());
        } catch (IOException e) {
            throw new TorchCheckpointException(file + " is not a readable PyTorch checkpoint: its zip container is "
                    + "damaged (" + (e.getMessage() == null ? "it ends too early" : e.getMessage())
                    + "). The file is cut short or changed: copy or download it again.", e);
        }
        try {
            return check(file, z);
        } catch (IOException | RuntimeException e) {
            z.close();
            throw e;
        }
    }

    /** PyTorch before 1.6 wrote a bare pickle stream, which this reader does not read. */
    private static void checkZipMagic(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n == 4 && head[0] == 'P' && head[1] == 'K') {
            return;
        }
        if (n >= 1 && (head[0] & 0xFF) == 0x80) {
            throw new TorchCheckpointException(file + " is a PyTorch checkpoint in the legacy format (before PyTorch "
                    + "1.6), which is not read: load it in PyTorch and save it again with torch.save (PyTorch 1.6 or "
                    + "later writes the zip format).");
        }
        throw new TorchCheckpointException(file + " is not a PyTorch checkpoint (it does not start as a zip file"
                + (n < 4 ? ": it is almost empty" : "") + "). Choose the checkpoint_final.pth or checkpoint_best.pth "
                + "of a trained fold.");
    }

    private static TorchZip check(Path file, ZipFile z) throws IOException {
        if (z.size() > MAX_ENTRIES) {
            throw refused(file, "it holds " + z.size() + " entries, more than the " + MAX_ENTRIES + " read");
        }
        List<? extends ZipEntry> all = Collections.list(z.entries());
        String top = null;
        for (ZipEntry e : all) {
            String name = e.getName();
            int slash = name.indexOf('/');
            if (name.startsWith("/") || name.contains("\\") || name.matches("^[A-Za-z]:.*") || slash <= 0
                    || List.of(name.split("/", -1)).stream().anyMatch(p -> p.equals("..") || p.equals("."))) {
                throw refused(file, "its entry '" + name + "' is not a file below one top folder (a path outside "
                        + "the checkpoint or absolute)");
            }
            String first = name.substring(0, slash);
            if (top == null) {
                top = first;
            } else if (!top.equals(first)) {
                throw refused(file, "its entries lie in two top folders, '" + top + "' and '" + first + "'");
            }
        }
        if (top == null || z.getEntry(top + "/data.pkl") == null) {
            throw new TorchCheckpointException(file + " is a zip file but not a PyTorch checkpoint: it holds no "
                    + "TOP/data.pkl. Choose a file that torch.save wrote (checkpoint_final.pth of a trained fold).");
        }
        List<String> links = ZipLinks.of(file);
        if (!links.isEmpty()) {
            throw refused(file, "its entry '" + links.get(0) + "' is a symbolic link; torch.save never writes links");
        }
        TorchZip t = new TorchZip(file, z, top);
        for (ZipEntry e : all) {
            if (t.entries.put(e.getName(), e) != null) {
                throw refused(file, "it holds the entry '" + e.getName() + "' twice");
            }
        }
        return t;
    }

    static TorchCheckpointException refused(Path file, String why) {
        return new TorchCheckpointException("Refusing to read " + file + ": " + why + ". A checkpoint that torch.save "
                + "wrote never looks like this: the file is damaged, or made to do harm.");
    }

    /** Whether {@code TOP/name} exists. */
    boolean has(String name) {
        return entries.containsKey(top + "/" + name);
    }

    /** The bytes of {@code TOP/name}, at most {@code max}; counted against the limits as they are read. */
    byte[] read(String name, long max) throws IOException {
        ZipEntry e = entries.get(top + "/" + name);
        if (e == null) {
            throw new TorchCheckpointException(file + " is damaged: it lacks the entry " + top + "/" + name
                    + ", which its pickle references. Copy or download the file again.");
        }
        long limit = Math.min(max, Integer.MAX_VALUE - 8);
        long compressed = e.getCompressedSize() < 0 ? Files.size(file) : e.getCompressedSize();
        try (InputStream in = zip.getInputStream(e)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(
                    (int) Math.min(Math.max(e.getSize(), 0), Math.min(limit, 1 << 26)));
            byte[] buffer = new byte[1 << 16];
            long n = 0;
            for (int r; (r = in.read(buffer)) > 0;) {
                n += r;
                total += r;
                if (n > limit) {
                    throw refused(file, "its entry '" + e.getName() + "' holds more than the " + limit
                            + " bytes it may (" + what(name) + ")");
                }
                if (total > MAX_TOTAL_BYTES) {
                    throw refused(file, "its entries unpack to more than " + (MAX_TOTAL_BYTES >> 30) + " GiB");
                }
                if (n > RATIO_FREE_BYTES && n > MAX_RATIO * Math.max(1, compressed)) {
                    throw refused(file, "its entry '" + e.getName() + "' expands more than " + MAX_RATIO
                            + " times (" + compressed + " to at least " + n + " bytes; a zip bomb)");
                }
                out.write(buffer, 0, r);
            }
            return out.toByteArray();
        } catch (TorchCheckpointException x) {
            throw x;
        } catch (IOException x) {
            throw new TorchCheckpointException(file + " is damaged: its entry '" + e.getName() + "' cannot be read ("
                    + (x.getMessage() == null ? "its data end too early" : x.getMessage())
                    + "). Copy or download the file again.", x);
        }
    }

    private static String what(String name) {
        return name.equals("data.pkl") ? "the pickle" : "the storage's declared size";
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}

package io.github.nnunetfiji.util;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Write-then-rename: a reader never sees a half-written file, and an interrupted write leaves the
 * previous version in place. The content is synced to the disk before the rename, and the rename
 * after it, so that a power cut leaves the old file or the whole new one.
 */
public final class AtomicFiles {

    /** Writes the content of a file through an output stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically: into a temporary file beside it, then renamed over it.
     *
     * @throws WriteFailedException if the file system refuses the write (full disk, no permission),
     *         naming {@code target}; other exceptions of {@code writer} pass unchanged
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw WriteFailedException.of(abs, e);
        }
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                // A writer may close the stream (a gzip stream closes what it wraps); the channel stays
                // open for the sync.
                OutputStream out = new TargetStream(Channels.newOutputStream(channel), abs);
                writer.write(out);
                out.flush();
                sync(channel, abs);
            }
            rename(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The content on the disk before the rename: else a power cut soon after can leave the new name
     * with empty or partial content (file systems may order the rename before the data).
     */
    private static void sync(FileChannel channel, Path target) throws WriteFailedException {
        try {
            channel.force(true);
        } catch (IOException e) {
            throw WriteFailedException.of(target, e);
        }
    }

    /** The rename itself on the disk, where the file system lets a folder be synced (Linux does). */
    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported here (Windows); the rename is atomic all the same.
        }
    }

    /** The temporary file's stream; its own failures are failures to write the target. */
    private static final class TargetStream extends FilterOutputStream {
        private final Path target;

        TargetStream(OutputStream out, Path target) {
            super(out);
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw WriteFailedException.of(target, e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw WriteFailedException.of(target, e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw WriteFailedException.of(target, e);
            }
        }

        /** Flushes only: the file is closed after its sync ({@link AtomicFiles#write}). */
        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /**
     * Temporary files are created owner-only; results are ordinary files that others may read
     * (rw-r--r--, as a plain write would make them under the usual umask).
     */
    static void readableByAll(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): its default permissions already apply.
        }
    }

    /**
     * Renames a finished file over {@code target} (atomically where the file system allows), for
     * writers that can only write to a path; {@code finished} must lie in the same folder.
     */
    public static void moveIntoPlace(Path finished, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(finished, StandardOpenOption.WRITE)) {
            sync(ch, target.toAbsolutePath());
        } catch (WriteFailedException e) {
            throw e;
        } catch (IOException e) {
            throw WriteFailedException.of(target.toAbsolutePath(), e);
        }
        rename(finished, target);
    }

    private static void rename(Path finished, Path target) throws IOException {
        try {
            readableByAll(finished);
            try {
                Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(finished, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw WriteFailedException.of(target.toAbsolutePath(), e);
        }
        syncFolder(target.toAbsolutePath().getParent());
    }

    /**
     * Removes the temporary files of writes that a killed process left in {@code dir} (a kill -9
     * between the write and the rename): they are never results, but would pile up. Only for the
     * holder of the folder's lock, so that no live write loses its file.
     */
    public static void removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                String n = f.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".tmp") && Files.isRegularFile(f)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    public static void writeString(Path target, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }
}

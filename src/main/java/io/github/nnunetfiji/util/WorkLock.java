package io.github.nnunetfiji.util;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One process at a time per work unit (a fold's training, a preprocessing run, a prediction's
 * output folder). The lock is the operating system's lock on a small file, so it is held exactly
 * as long as the process lives: a killed process (kill -9, a node that died) leaves no lock behind,
 * and the file's text, who held it, is only for the messages. A file with text whose lock is free
 * belonged to a process that ended without releasing it: the next run takes it over and says so.
 * Works across the nodes of a cluster where the shared file system supports locks (NFS v4, Lustre,
 * GPFS, BeeGFS do).
 */
public final class WorkLock implements AutoCloseable {

    /** Lock files held by this process (resolved paths). */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private WorkLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of a work unit, or refuses at once.
     *
     * @param file the lock file (made, with its folders, if absent)
     * @param what the work unit in words, for the messages ("training of 2d fold 0")
     * @param log  receives the line saying that a dead process's lock was taken over
     * @throws WorkInUseException if a live process (this one included) holds it
     */
    public static WorkLock acquire(Path file, String what, Consumer<String> log) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path key = file.toAbsolutePath().getParent().toRealPath().resolve(file.getFileName());
        // Checked before a second channel is opened: closing any channel of a file drops every lock
        // this process holds on it (POSIX locks), so a refused run here must not touch the file.
        if (!HELD.add(key)) {
            throw inUse(what, "another run in this program", file);
        }
        FileChannel ch = null;
        FileLock lock;
        try {
            // Never through a link: a lock file planted as a link would have this run write into another file.
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            lock = ch.tryLock();
            if (lock == null) {
                String holder = holder(ch);
                throw inUse(what, holder.isEmpty() ? "another process" : holder, file);
            }
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            if (ch != null) {
                ch.close();
            }
            throw e;
        }
        String previous = holder(ch);
        if (!previous.isEmpty()) {
            log.accept("Took over the lock of the " + what + " from " + previous + ", which is no longer running");
        }
        byte[] me = (describeThisProcess() + "\n").getBytes(StandardCharsets.UTF_8);
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(me), 0);
        ch.force(false);
        return new WorkLock(key, ch, lock);
    }

    private static WorkInUseException inUse(String what, String holder, Path file) {
        return new WorkInUseException("The " + what + " is in use by " + holder + " (lock " + file
                + "); wait for that run to finish or stop it, then try again");
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Empties the file (nobody holds it) and releases the lock. */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.truncate(0);
            lock.release();
        } finally {
            channel.close();
            HELD.remove(file);
        }
    }

    private static String holder(FileChannel ch) throws IOException {
        long size = Math.min(ch.size(), 4096);
        ByteBuffer b = ByteBuffer.allocate((int) size);
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
    }

    static String describeThisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return "process " + ProcessHandle.current().pid() + " on " + host + " since " + Instant.now();
    }
}

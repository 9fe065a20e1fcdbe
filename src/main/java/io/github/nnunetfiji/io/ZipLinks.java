package io.github.nnunetfiji.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries of a zip that are symbolic links. java.util.zip does not expose an entry's file type,
 * so this reads it from the central directory (APPNOTE.TXT 4.3.12): for entries made on Unix (the
 * high byte of "version made by" is 3) the high 16 bits of the external attributes are the file's
 * mode, and S_IFLNK there marks a link whose target is the entry's content. The central directory
 * is found as java.util.zip.ZipFile finds it (the end record, Zip64 where it says so), so this reads
 * the entries ZipFile lists.
 */
public final class ZipLinks {

    private static final int END = 0x06054b50;
    private static final int END_SIZE = 22;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int ZIP64_END = 0x06064b50;
    private static final int ZIP64_END_SIZE = 56;
    private static final int ENTRY = 0x02014b50;
    private static final int ENTRY_SIZE = 46;
    private static final int UNIX = 3;
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;

    private ZipLinks() {
    }

    /** The names of the entries of {@code zip} that are symbolic links, in the order of the zip. */
    public static List<String> of(Path zip) throws IOException {
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = ch.size();
            int tail = (int) Math.min(size, END_SIZE + 0xFFFF);
            ByteBuffer b = read(ch, size - tail, tail);
            int end = tail - END_SIZE;
            while (end >= 0 && b.getInt(end) != END) {
                end--;
            }
            if (end < 0) {
                throw new IOException(zip + " is not a readable zip file: it has no end of central directory record");
            }
            long endPos = size - tail + end;
            long entries = Short.toUnsignedInt(b.getShort(end + 10));
            long dirSize = Integer.toUnsignedLong(b.getInt(end + 12));
            if (endPos >= ZIP64_LOCATOR_SIZE) {
                ByteBuffer loc = read(ch, endPos - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE);
                long z64 = loc.getLong(8);
                if (loc.getInt(0) == ZIP64_LOCATOR && z64 >= 0 && z64 + ZIP64_END_SIZE <= size) {
                    ByteBuffer z = read(ch, z64, ZIP64_END_SIZE);
                    if (z.getInt(0) == ZIP64_END) {
                        endPos = z64;
                        entries = z.getLong(32);
                        dirSize = z.getLong(40);
                    }
                }
            }
            long dirPos = endPos - dirSize;
            if (dirSize < 0 || dirPos < 0) {
                throw new IOException(zip + " is not a readable zip file: its central directory lies outside it");
            }
            return links(zip, Channels.newInputStream(ch.position(dirPos)), entries);
        }
    }

    private static List<String> links(Path zip, InputStream raw, long entries) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        List<String> links = new ArrayList<>();
        try {
            for (long i = 0; i < entries; i++) {
                ByteBuffer h = ByteBuffer.wrap(in.readNBytes(ENTRY_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
                if (h.capacity() < ENTRY_SIZE || h.getInt(0) != ENTRY) {
                    throw new EOFException();
                }
                int madeBy = Short.toUnsignedInt(h.getShort(4)) >> 8;
                int mode = h.getInt(38) >>> 16;
                int nameLength = Short.toUnsignedInt(h.getShort(28));
                byte[] name = in.readNBytes(nameLength);
                if (name.length < nameLength) {
                    throw new EOFException();
                }
                in.skipNBytes(Short.toUnsignedInt(h.getShort(30)) + Short.toUnsignedInt(h.getShort(32)));
                if (madeBy == UNIX && (mode & S_IFMT) == S_IFLNK) {
                    links.add(new String(name, StandardCharsets.UTF_8));
                }
            }
        } catch (EOFException e) {
            throw new IOException(zip + " is not a readable zip file: its central directory is damaged", e);
        }
        return links;
    }

    private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new EOFException();
            }
        }
        return b.flip();
    }
}

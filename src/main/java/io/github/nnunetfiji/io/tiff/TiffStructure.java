package io.github.nnunetfiji.io.tiff;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import ij.io.FileInfo;
import io.github.nnunetfiji.io.ImageFileException;

/**
 * Checks a TIFF file before ImageJ reads it. ImageJ's decoder trusts the file: a count or length
 * taken from a damaged file becomes the size of an array (negative, or of gigabytes), and an IFD
 * chain that loops is read forever. {@link #check} walks the chain as the TIFF 6.0 specification
 * lays it out and refuses what points outside the file, loops, or (in ImageJ's own metadata)
 * declares more than the file holds; {@link #checkSizes} refuses images whose declared pixels the
 * file cannot hold or the heap cannot take. Each refusal names the file and the fix.
 */
final class TiffStructure {

    /** ImageJ reads at most this many entries per IFD (and stops the chain at one with more). */
    private static final int MAX_ENTRIES = 1000;
    /** Far more IFDs than any stack has; a chain longer than this is damaged. */
    private static final int MAX_IFDS = 1 << 20;
    /**
     * LZW, the best of the compressions ImageJ reads, expands a 12-bit code to at most 4096 bytes
     * (deflate 1032, PackBits 64): compressed pixels beyond this ratio to the file size are a damaged header.
     */
    private static final long MAX_COMPRESSION_RATIO = 2731;

    private static final int STRIP_OFFSETS = 273;
    private static final int STRIP_BYTE_COUNTS = 279;
    private static final int META_DATA_BYTE_COUNTS = 50838;
    private static final int META_DATA = 50839;
    private static final int IJ_MAGIC = 0x494a494a;

    private static final String FIX = "The file is damaged or truncated; copy it again, or re-save it from Fiji"
            + " (File > Save As > Tiff).";

    private final Path file;
    private final FileChannel ch;
    private final long size;
    private ByteOrder order;
    /** The strips of the IFD being checked (null until its tags are met). */
    private long[] stripOffsets;
    private long[] stripLengths;
    /** ImageJ's metadata block lengths, kept from one IFD to the next as ImageJ's decoder keeps them. */
    private long[] metaCounts;

    private TiffStructure(Path file, FileChannel ch) throws IOException {
        this.file = file;
        this.ch = ch;
        this.size = ch.size();
    }

    /**
     * Refuses a file whose header or IFD chain is damaged (see the class comment).
     *
     * @return the number of image directories (IFDs) in its chain
     */
    static int check(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new TiffStructure(file, ch).walk();
        }
    }

    private int walk() throws IOException {
        if (size < 8) {
            throw damaged("it holds " + size + " bytes, less than a TIFF header");
        }
        ByteBuffer head = read(0, 8);
        int bom = head.getShort(0) & 0xFFFF;
        if (bom != 0x4949 && bom != 0x4D4D) {
            throw new ImageFileException(file, "not a TIFF file: it does not start with a TIFF header (II or MM)."
                    + " Check that the file is a .tif image and was copied completely.");
        }
        order = bom == 0x4949 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        head.order(order);
        int magic = head.getShort(2) & 0xFFFF;
        if (magic != 42) {
            throw new ImageFileException(file, "not a TIFF file ImageJ reads: its header holds " + magic + " where 42"
                    + " belongs" + (magic == 43 ? " (43 is BigTIFF, which ImageJ does not read; save it as a plain"
                            + " TIFF or open it with Bio-Formats)" : "") + ". " + FIX);
        }
        long ifd = Integer.toUnsignedLong(head.getInt(4));
        Set<Long> seen = new HashSet<>();
        while (ifd > 0) {
            if (!seen.add(ifd) || seen.size() > MAX_IFDS) {
                throw damaged("its chain of image directories (IFDs) loops back to byte " + ifd);
            }
            if (ifd + 2 > size) {
                throw damaged("an image directory (IFD) starts at byte " + ifd + ", past its end");
            }
            int n = read(ifd, 2).getShort(0) & 0xFFFF;
            if (n < 1 || n > MAX_ENTRIES) {
                break; // ImageJ ends the chain here
            }
            long end = ifd + 2 + 12L * n;
            if (end + 4 > size) {
                throw damaged("its image directory (IFD) at byte " + ifd + " (" + n + " entries) runs past its end");
            }
            ByteBuffer entries = read(ifd + 2, 12 * n + 4);
            stripOffsets = null;
            stripLengths = null;
            for (int e = 0; e < n; e++) {
                entry(entries, 12 * e);
            }
            strips();
            ifd = Integer.toUnsignedLong(entries.getInt(12 * n));
        }
        return seen.size();
    }

    /** Every strip of an IFD, where it gives both offsets and lengths, must end inside the file. */
    private void strips() throws ImageFileException {
        if (stripOffsets == null || stripLengths == null) {
            return;
        }
        if (stripOffsets.length != stripLengths.length) {
            throw damaged("an image directory lists " + stripOffsets.length + " strip offsets but "
                    + stripLengths.length + " strip lengths");
        }
        for (int i = 0; i < stripOffsets.length; i++) {
            if (stripOffsets[i] + stripLengths[i] > size) {
                throw damaged("its strip of " + stripLengths[i] + " bytes at byte " + stripOffsets[i]
                        + " runs past its end");
            }
        }
    }

    /** Checks one IFD entry, keeping what later checks need. */
    private void entry(ByteBuffer b, int at) throws IOException {
        int tag = b.getShort(at) & 0xFFFF;
        int type = b.getShort(at + 2) & 0xFFFF;
        long count = Integer.toUnsignedLong(b.getInt(at + 4));
        long value = Integer.toUnsignedLong(b.getInt(at + 8));
        long bytes = count * typeSize(type);
        // Readers allocate by the count: it must fit in the file, and so must data stored elsewhere.
        if (count > size || count > Integer.MAX_VALUE / 8 || bytes > 4 && value + bytes > size) {
            throw damaged("its tag " + tag + " declares " + count + " values" + (bytes > 4 ? " at byte " + value : "")
                    + ", more than the file holds");
        }
        if (tag == STRIP_OFFSETS) {
            stripOffsets = values(b, at, type, count, value, tag);
        } else if (tag == STRIP_BYTE_COUNTS) {
            stripLengths = values(b, at, type, count, value, tag);
        } else if (tag == META_DATA_BYTE_COUNTS) {
            metaCounts = values(b, at, type, count, value, tag);
        } else if (tag == META_DATA && metaCounts != null) {
            imageJMetadata(metaCounts, value, bytes);
        }
    }

    /**
     * ImageJ's own metadata (slice labels, display ranges, LUTs, overlays): a header of (type,
     * count) pairs at the start of the META_DATA tag's bytes, and one length per block in
     * META_DATA_BYTE_COUNTS. ImageJ allocates by these numbers, so they must add up within the tag.
     */
    private void imageJMetadata(long[] counts, long at, long bytes) throws IOException {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        if (sum > bytes) {
            throw damaged("its ImageJ metadata declares " + sum + " bytes in a tag of " + bytes);
        }
        if (counts.length == 0 || counts[0] < 12 || counts[0] > 804 || counts[0] > bytes
                || read(at, 4).order(order).getInt(0) != IJ_MAGIC) {
            return; // ImageJ skips metadata without its header
        }
        int types = (int) (counts[0] - 4) / 8;
        ByteBuffer h = read(at + 4, 8 * types).order(order);
        long blocks = 0;
        for (int i = 0; i < types; i++) {
            long n = h.getInt(8 * i + 4);
            blocks += n;
            if (n < 0 || blocks > counts.length - 1) {
                throw damaged("its ImageJ metadata lists more blocks than it has lengths for");
            }
        }
    }

    /** The values of a SHORT or LONG entry, inline or at its offset (checked to lie in the file). */
    private long[] values(ByteBuffer b, int at, int type, long count, long value, int tag) throws IOException {
        if (type != 3 && type != 4) {
            throw damaged("its tag " + tag + " has type " + type + ", not SHORT (3) or LONG (4)");
        }
        int width = type == 3 ? 2 : 4;
        ByteBuffer src = count * width <= 4 ? b.duplicate().order(order).position(at + 8).slice().order(order)
                : read(value, (int) (count * width));
        long[] v = new long[(int) count];
        for (int i = 0; i < v.length; i++) {
            v[i] = width == 2 ? src.getShort(2 * i) & 0xFFFF : Integer.toUnsignedLong(src.getInt(4 * i));
        }
        return v;
    }

    private static long typeSize(int type) {
        switch (type) {
            case 3: case 8:
                return 2;
            case 4: case 9: case 11: case 13:
                return 4;
            case 5: case 10: case 12: case 16: case 17: case 18:
                return 8;
            default:
                return 1;
        }
    }

    private ByteBuffer read(long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(order == null ? ByteOrder.BIG_ENDIAN : order);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw damaged("it ends inside its header data", new EOFException());
            }
        }
        return b.flip();
    }

    private ImageFileException damaged(String problem) {
        return damaged(problem, null);
    }

    private ImageFileException damaged(String problem, Throwable cause) {
        return new ImageFileException(file, "damaged TIFF: " + problem + " (" + size + " bytes). " + FIX, cause);
    }

    /**
     * Refuses images whose pixels, as ImageJ's decoder reads them ({@code info}, one entry per IFD
     * it kept), cannot be in the file or in the heap; ImageJ would allocate them first. {@code ifds}
     * is what {@link #check} returned.
     */
    static void checkSizes(Path file, FileInfo[] info, long fileSize, int ifds) throws ImageFileException {
        FileInfo first = info[0];
        if (info.length == 1 && first.nImages > 1 && ifds > 1 && ifds != first.nImages) {
            // ImageJ writes one directory per image but reads a stack it wrote from the first and the
            // count in its description (images=N): the two disagree only in a damaged file.
            throw new ImageFileException(file, "damaged TIFF: its description declares " + first.nImages
                    + " images, but it holds " + ifds + " image directories. " + FIX);
        }
        double inMemory = 0;
        double inFile = 0;
        boolean compressed = false;
        for (FileInfo fi : info) {
            int bpp = fi.getBytesPerPixel();
            if (fi.width < 1 || fi.height < 1 || bpp < 1) {
                throw new ImageFileException(file, "damaged TIFF: an image of " + fi.width + "x" + fi.height
                        + " pixels of " + bpp + " bytes is not one. " + FIX);
            }
            double plane = (double) fi.width * fi.height * bpp;
            if (plane > Integer.MAX_VALUE) {
                throw new ImageFileException(file, "its " + fi.width + "x" + fi.height + " planes are larger than"
                        + " ImageJ can hold (2^31 bytes). Crop or downsample the image before using it here.");
            }
            int samples = fi.samplesPerPixel > 1 && bpp != 3 && bpp != 4 && bpp != 6 ? fi.samplesPerPixel : 1;
            double planes = (double) samples * (info.length == 1 ? Math.max(1, fi.nImages) : 1);
            double stored = storedPlane(fi) * planes;
            inMemory += plane * planes;
            inFile += stored;
            if (fi.compression > FileInfo.COMPRESSION_NONE) {
                compressed = true;
            } else if (info.length == 1
                    && fi.getOffset() + stored + (double) fi.getGap() * (Math.max(1, fi.nImages) - 1) > fileSize) {
                throw new ImageFileException(file, "truncated TIFF: it declares " + describe(fi) + " from byte "
                        + fi.getOffset() + ", more than its " + fileSize + " bytes hold. " + FIX);
            }
        }
        if (inFile > (compressed ? MAX_COMPRESSION_RATIO : 1) * (double) fileSize) {
            throw new ImageFileException(file, "damaged TIFF: it declares " + describe(info[0]) + (info.length > 1
                    ? " in " + info.length + " directories" : "") + ", more pixel data than its " + fileSize
                    + " bytes can hold. " + FIX);
        }
        // ImageJ's stack, then the copy the conversion makes.
        checkMemory(file, info[0], 2 * inMemory);
    }

    /** Bytes of one plane in the file: packed for 1-, 10- and 12-bit pixels, which ImageJ widens. */
    private static double storedPlane(FileInfo fi) {
        switch (fi.fileType) {
            case FileInfo.BITMAP:
                return Math.ceil(fi.width / 8.0) * fi.height;
            case FileInfo.GRAY12_UNSIGNED:
                return Math.ceil(1.5 * fi.width * fi.height);
            case FileInfo.GRAY10_UNSIGNED:
                return Math.ceil(1.25 * fi.width * fi.height);
            default:
                return (double) fi.width * fi.height * fi.getBytesPerPixel();
        }
    }

    private static void checkMemory(Path file, FileInfo fi, double bytes) throws ImageFileException {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > free) {
            // Part of the used heap may be garbage; collect once before refusing.
            System.gc();
            free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        }
        if (bytes > free) {
            throw new ImageFileException(file, String.format(Locale.ROOT, "reading its %s needs %.1f MiB of memory,"
                    + " but only %.1f MiB of the Java heap (maximum %.1f MiB) is free. Give Java more memory (Fiji: Edit"
                    + " > Options > Memory & Threads; java -Xmx), or crop or downsample the image.", describe(fi),
                    bytes / (1 << 20), free / (double) (1 << 20), rt.maxMemory() / (double) (1 << 20)));
        }
    }

    private static String describe(FileInfo fi) {
        return fi.width + "x" + fi.height + " pixels x " + Math.max(1, fi.nImages) + " image(s) of "
                + fi.getBytesPerPixel() + " byte(s)";
    }
}

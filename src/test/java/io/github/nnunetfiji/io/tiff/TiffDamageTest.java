package io.github.nnunetfiji.io.tiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageFileException;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.RealType;

/**
 * TIFF files from other writers still read, pixel for pixel, through the checks made before ImageJ
 * reads a file ({@link TiffStructure}); damaged ones are refused with a message naming the file
 * instead of an exception from inside ImageJ, a loop, or an allocation of the size a damaged header declares.
 */
class TiffDamageTest {

    @TempDir
    Path tmp;

    // ---------------------------------------------------------------- valid files of other writers

    /** Gray pixels {@code (7x + 3y + 11p) mod 256} (16-bit: times 97) of page p. */
    private static BufferedImage gray(int w, int h, int type, int page) {
        BufferedImage img = new BufferedImage(w, h, type);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (7 * x + 3 * y + 11 * page) % 256;
                r.setSample(x, y, 0, type == BufferedImage.TYPE_USHORT_GRAY ? v * 97 : v);
            }
        }
        return img;
    }

    /** Pages written by the JDK's TIFF writer with a compression ("LZW", "Deflate", "PackBits"; null: none). */
    private Path jdkTiff(String name, String compression, List<BufferedImage> pages) throws IOException {
        Path f = tmp.resolve(name);
        ImageWriter w = javax.imageio.ImageIO.getImageWritersByFormatName("tiff").next();
        try (ImageOutputStream out = javax.imageio.ImageIO.createImageOutputStream(f.toFile())) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            if (compression != null) {
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionType(compression);
            }
            w.prepareWriteSequence(null);
            for (BufferedImage page : pages) {
                w.writeToSequence(new IIOImage(page, null, null), p);
            }
            w.endWriteSequence();
        } finally {
            w.dispose();
        }
        return f;
    }

    private static void assertSamePixels(List<BufferedImage> pages, Image img) {
        BufferedImage first = pages.get(0);
        assertArrayEquals(new long[] {first.getWidth(), first.getHeight(), pages.size()}, img.shape());
        RandomAccess<? extends RealType<?>> a = img.channel(0).randomAccess();
        for (int z = 0; z < pages.size(); z++) {
            for (int y = 0; y < first.getHeight(); y += 7) {
                for (int x = 0; x < first.getWidth(); x += 5) {
                    a.setPosition(new long[] {x, y, z});
                    assertEquals(pages.get(z).getRaster().getSample(x, y, 0), a.get().getRealDouble(), 0,
                            "pixel " + x + "," + y + "," + z);
                }
            }
        }
    }

    @Test
    void tiffsOfAnotherWriterReadPixelForPixel() throws IOException {
        // 300x200 bytes make several strips; LZW, deflate and PackBits are what ImageJ decodes.
        for (String compression : new String[] {null, "LZW", "Deflate", "PackBits"}) {
            List<BufferedImage> pages = List.of(gray(300, 200, BufferedImage.TYPE_BYTE_GRAY, 0),
                    gray(300, 200, BufferedImage.TYPE_BYTE_GRAY, 1), gray(300, 200, BufferedImage.TYPE_BYTE_GRAY, 2));
            Path f = jdkTiff("pages-" + compression + ".tif", compression, pages);
            assertSamePixels(pages, TiffIO.read(f));
        }
        List<BufferedImage> wide = List.of(gray(64, 48, BufferedImage.TYPE_USHORT_GRAY, 0));
        assertSamePixels(wide, TiffIO.read(jdkTiff("gray16.tif", "LZW", wide)));
        // 1-bit pixels: 8 to a byte in the file, one byte each in ImageJ.
        BufferedImage bits = new BufferedImage(70, 30, BufferedImage.TYPE_BYTE_BINARY);
        bits.getRaster().setSample(3, 4, 0, 1);
        Image b = TiffIO.read(jdkTiff("bits.tif", null, List.of(bits)));
        assertArrayEquals(new long[] {70, 30, 1}, b.shape());
    }

    // ---------------------------------------------------------------- damaged files

    /**
     * A little-endian 8-bit TIFF of 16x8 pixels, one strip, as bytes: header, the IFD at 8 (9
     * entries), then the pixels; {@link #entry} finds an entry's fields to damage.
     */
    private static ByteBuffer tiny() {
        int[][] entries = {{256, 4, 1, 16}, {257, 4, 1, 8}, {258, 3, 1, 8}, {259, 3, 1, 1}, {262, 3, 1, 1},
            {273, 4, 1, 0}, {277, 3, 1, 1}, {278, 4, 1, 8}, {279, 4, 1, 128}};
        int data = 8 + 2 + 12 * entries.length + 4;
        ByteBuffer b = ByteBuffer.allocate(data + 128).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) entries.length);
        for (int[] e : entries) {
            b.putShort((short) e[0]).putShort((short) e[1]).putInt(e[2]);
            if (e[1] == 3) {
                b.putShort((short) e[3]).putShort((short) 0);
            } else {
                b.putInt(e[0] == 273 ? data : e[3]);
            }
        }
        b.putInt(0);
        for (int i = 0; i < 128; i++) {
            b.put((byte) i);
        }
        return b;
    }

    /** Offset of the entry of {@code tag} in {@link #tiny()}. */
    private static int entry(ByteBuffer b, int tag) {
        for (int at = 10; at < 10 + 12 * 9; at += 12) {
            if ((b.getShort(at) & 0xFFFF) == tag) {
                return at;
            }
        }
        throw new AssertionError("no tag " + tag);
    }

    private Path write(String name, ByteBuffer b) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    /** Refused within seconds, with an error naming the file and holding the fragment. */
    private static void assertRefused(Path f, String fragment) {
        ImageFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ImageFileException.class, () -> TiffIO.read(f)));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void theTinyFileReads() throws IOException {
        Image img = TiffIO.read(write("tiny.tif", tiny()));
        assertArrayEquals(new long[] {16, 8, 1}, img.shape());
    }

    @Test
    void damagedHeadersAreRefusedBeforeImageJAllocates() throws IOException {
        // A strip count read as a negative int (was NegativeArraySizeException inside ImageJ).
        ByteBuffer b = tiny();
        b.putInt(entry(b, 279) + 4, 0xFEFEFEFF);
        assertRefused(write("count.tif", b), "declares 4278124287 values");
        // A next-IFD offset pointing back at the IFD (ImageJ read it forever).
        b = tiny();
        b.putInt(10 + 12 * 9, 8);
        assertRefused(write("loop.tif", b), "loops back to byte 8");
        // 65536x65536 pixels declared in a 250-byte file (ImageJ allocated them first).
        b = tiny();
        b.putInt(entry(b, 256) + 8, 65536).putInt(entry(b, 257) + 8, 65536);
        assertRefused(write("huge.tif", b), "65536x65536");
        // A strip past the end.
        b = tiny();
        b.putInt(entry(b, 279) + 8, 1 << 30);
        assertRefused(write("strip.tif", b), "strip of 1073741824 bytes at byte 122 runs past its end");
        // Cut inside the pixels.
        b = tiny();
        Path cut = tmp.resolve("cut.tif");
        Files.write(cut, java.util.Arrays.copyOf(b.array(), b.capacity() - 50));
        assertRefused(cut, "strip of 128 bytes at byte 122 runs past its end");
    }

    @Test
    void anImageJStackDeclaringMoreSlicesThanItHoldsIsRefused() throws IOException {
        // ImageJ reads a stack it wrote from its first directory and the slice count in its
        // description; a larger count was read on into the bytes after the pixels.
        Image stack = io.github.nnunetfiji.io.ij.ImagePlusConverter.toImage(
                io.github.nnunetfiji.io.ij.ImagePlusConverterTestAccess.hyperstack16(5, 4, 1, 3));
        Path f = tmp.resolve("stack.tif");
        TiffIO.write(stack, f, "mm");
        assertArrayEquals(new long[] {5, 4, 3}, TiffIO.read(f).shape());
        byte[] b = Files.readAllBytes(f);
        String text = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("images=3");
        assertTrue(at > 0, "ImageJ writes the slice count");
        b[at + "images=".length()] = '9';
        Files.write(f, b);
        assertRefused(f, "its description declares 9 images, but it holds 3 image directories");
    }

    @Test
    void imageJMetadataDeclaringMoreThanTheFileHoldsIsRefused() throws IOException {
        // ImageJ's metadata: a block of lengths (tag 50838) and the blocks (tag 50839), whose header
        // lists (type, count) pairs; ImageJ allocates by these numbers.
        ByteBuffer b = tiny();
        int end = b.capacity();
        List<Integer> lengths = new ArrayList<>(List.of(12, 10));
        ByteBuffer more = ByteBuffer.allocate(end + 8 + 22 + 2 + 2 * 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
        more.put(b.array());
        // Lengths at `end`, metadata at end + 8: "IJIJ", one type (slice labels) with 2^31-1 blocks (ImageJ
        // made an array of 2^31-1 labels), and 10 bytes.
        more.putInt(lengths.get(0)).putInt(lengths.get(1));
        more.putInt(0x494a494a).putInt(0x6c61626c).putInt(Integer.MAX_VALUE).put(new byte[10]);
        // A second IFD holding the two tags (ImageJ reads them in any IFD), chained from the first.
        int ifd2 = more.position();
        more.putShort((short) 2);
        more.putShort((short) 50838).putShort((short) 4).putInt(2).putInt(end);
        more.putShort((short) 50839).putShort((short) 1).putInt(22).putInt(end + 8);
        more.putInt(0);
        more.putInt(10 + 12 * 9, ifd2);
        assertRefused(write("meta.tif", more), "ImageJ metadata lists more blocks");
    }
}

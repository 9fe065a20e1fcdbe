package io.github.nnunetfiji.io.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the reader must refuse, each with a message that names the file, says what is wrong and
 * what to do.
 */
class NiftiCorruptFileTest {

    @TempDir
    Path tmp;

    /** A valid small file, changed by {@code edit}. */
    private Path file(String name, Consumer<RawNifti> edit) throws IOException {
        RawNifti r = new RawNifti().shape(4, 3, 2).values(NiftiDataType.INT16, new double[24]);
        edit.accept(r);
        return r.write(tmp.resolve(name));
    }

    /** Reading fails with a message naming the file and containing every fragment. */
    private static NiftiFormatException assertRefused(Path f, String... fragments) {
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> NiftiIO.read(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString() + ": "), "message names the file: " + m);
        for (String fragment : fragments) {
            assertTrue(m.contains(fragment), "message should contain '" + fragment + "': " + m);
        }
        assertEquals(f, e.file());
        return e;
    }

    /** Header problems are found by readHeader too, with the same message. */
    private static void assertHeaderRefused(Path f, String... fragments) {
        String m = assertRefused(f, fragments).getMessage();
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> NiftiIO.readHeader(f));
        assertEquals(m, e.getMessage());
    }

    @Test
    void nifti2IsRefusedWithAConversionHint() throws IOException {
        assertHeaderRefused(file("n2.nii", r -> r.sizeofHdr = 540), "NIfTI-2", "only NIfTI-1 is supported", "nibabel");
        Path be = file("n2be.nii.gz", r -> {
            r.order = ByteOrder.BIG_ENDIAN;
            r.sizeofHdr = 540;
        });
        assertHeaderRefused(be, "NIfTI-2");
    }

    @Test
    void analyzeWithoutMagicIsRefused() throws IOException {
        assertHeaderRefused(file("analyze.nii", r -> r.magic = "\0\0\0\0"), "lacks the NIfTI-1 magic", "Analyze 7.5",
                "Convert it to NIfTI-1");
    }

    @Test
    void headerPairMagicIsRefused() throws IOException {
        assertHeaderRefused(file("pair.nii", r -> r.magic = "ni1\0"), "'ni1'", "separate .img", "single .nii");
    }

    @Test
    void unsupportedDatatypesAreNamed() throws IOException {
        assertHeaderRefused(file("complex.nii", r -> {
            r.datatype = 32;
            r.bitpix = 64;
        }), "complex64 (32) is not supported", "supported: uint8", "Convert");
        assertHeaderRefused(file("rgb.nii.gz", r -> {
            r.datatype = 128;
            r.bitpix = 24;
        }), "RGB24 (128)");
        assertHeaderRefused(file("odd.nii", r -> r.datatype = 12345), "code 12345 (not a NIfTI-1 datatype)");
    }

    @Test
    void truncatedUncompressedDataIsRefusedBeforeAllocating() throws IOException {
        Path f = file("short.nii", r -> r.data = Arrays.copyOf(r.data, 40));
        assertRefused(f, "truncated", "48 bytes of voxel data", "holds only 40", "copy or export it again");
        // The header alone still reads: the problem is the data.
        assertEquals(24, NiftiIO.readHeader(f).voxelsPerChannel());
    }

    @Test
    void truncatedGzipIsRefused() throws IOException {
        RawNifti r = new RawNifti().shape(64, 64, 8).values(NiftiDataType.FLOAT32, randomish(64 * 64 * 8));
        byte[] gz = RawNifti.gzip(r.bytes());
        Path f = tmp.resolve("cut.nii.gz");
        Files.write(f, Arrays.copyOf(gz, gz.length / 2));
        assertRefused(f, "truncated", "gzip stream ends unexpectedly after", "of 131072 bytes of voxel data");
        // Cut inside the gzip trailer: all voxels are there, but the file is still incomplete.
        Path t = tmp.resolve("cut_trailer.nii.gz");
        Files.write(t, Arrays.copyOf(gz, gz.length - 3));
        assertRefused(t, "truncated", "after all 131072 bytes of voxel data, in its gzip trailer");
        // Cut inside the header.
        Path h = tmp.resolve("cut_header.nii.gz");
        Files.write(h, RawNifti.gzip(Arrays.copyOf(r.bytes(), 200)));
        assertHeaderRefused(h, "truncated", "200 bytes, less than the 348-byte NIfTI-1 header");
    }

    @Test
    void corruptGzipIsRefused() throws IOException {
        RawNifti r = new RawNifti().shape(16, 16, 4).values(NiftiDataType.INT16, randomish(16 * 16 * 4));
        byte[] gz = RawNifti.gzip(r.bytes());
        gz[gz.length - 8] ^= 0x55; // CRC32 in the trailer
        Path f = tmp.resolve("crc.nii.gz");
        Files.write(f, gz);
        assertRefused(f, "gzip data is corrupt", "in its gzip trailer", "damaged");
    }

    @Test
    void impossibleDimensionsAreCorruptHeaders() throws IOException {
        assertHeaderRefused(file("dim0.nii", r -> r.dim[0] = 0), "header is corrupt", "dim[0]", "must be 1 to 7");
        assertHeaderRefused(file("dim8.nii", r -> r.dim[0] = 9), "dim[0]");
        assertHeaderRefused(file("negdim.nii", r -> r.dim[2] = -3), "dim[2] is -3", "must be positive");
        assertHeaderRefused(file("zerodim.nii.gz", r -> r.dim[3] = 0), "dim[3] is 0");
        assertHeaderRefused(file("twoaxes.nii", r -> r.shape(2, 2, 2, 3, 4)),
                "more than one non-spatial dimension", "Split the file");
    }

    @Test
    void channelsBeyondArrayLimitsAreRefused() throws IOException {
        // 32767^3 voxels in one channel: more than a Java array holds.
        Path f = file("huge.nii.gz", r -> r.shape(32767, 32767, 32767));
        assertHeaderRefused(f, "ImgLib2 array image", "2^31", "Crop or downsample");
    }

    @Test
    void dataLargerThanTheGzipCanHoldIsRefusedBeforeAllocating() throws IOException {
        // 1024^3 float32 (4 GiB) claimed by a file of a few hundred bytes.
        Path f = file("bomb.nii.gz", r -> {
            r.shape(1024, 1024, 1024);
            r.type(NiftiDataType.FLOAT32);
        });
        assertRefused(f, "more than a", "gzip file can hold", "truncated or its header is corrupt");
    }

    @Test
    void imagesLargerThanTheFreeHeapAreRefusedBeforeAllocating() throws IOException {
        // A valid gzip member followed by padding, so the size check above passes; the declared
        // image (one float64 channel near the array limit, 16 GiB) cannot fit the test heap.
        long bytes = 8L * 2_000_000_000L;
        assumeTrue(Runtime.getRuntime().maxMemory() < bytes, "heap too large for this test");
        RawNifti r = new RawNifti().shape(2000, 1000, 1000);
        r.type(NiftiDataType.FLOAT64);
        Path f = tmp.resolve("toobig.nii.gz");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(RawNifti.gzip(r.bytes()));
            byte[] pad = new byte[1 << 20];
            for (int i = 0; i < bytes / 1032 / pad.length + 1; i++) {
                out.write(pad);
            }
        }
        assertRefused(f, "of memory", "Java heap", "Give Java more memory");
    }

    @Test
    void badSpacingOrTransformsAreRefused() throws IOException {
        assertHeaderRefused(file("nanpix.nii", r -> r.pixdim[2] = Float.NaN), "pixdim[2]", "spacing along y", "finite");
        assertHeaderRefused(file("infpix.nii", r -> {
            r.qformCode = 1;
            r.pixdim[3] = Float.POSITIVE_INFINITY;
        }), "pixdim[3]");
        assertHeaderRefused(file("nansrow.nii", r -> {
            r.sformCode = 1;
            r.srow[1][3] = Float.NaN;
        }), "srow_y[3]", "finite");
        assertHeaderRefused(file("zerosrow.nii", r -> {
            r.sformCode = 1;
            r.srow = new float[3][4];
        }), "column 0 of the sform", "zero");
        assertHeaderRefused(file("quat.nii", r -> {
            r.qformCode = 1;
            r.quatern = new float[] {0.9f, 0.9f, 0};
        }), "quaternion", "norm above 1");
    }

    @Test
    void badScalingAndOffsetsAreRefused() throws IOException {
        assertHeaderRefused(file("inter.nii", r -> {
            r.sclSlope = 2;
            r.sclInter = Float.NaN;
        }), "scl_inter is NaN", "finite intercept");
        assertHeaderRefused(file("offset0.nii", r -> r.voxOffset = 0), "vox_offset is 0", "348 or later");
        assertRefused(file("offsetfar.nii", r -> r.voxOffset = 1_000_000), "truncated", "from byte 1000000");
        // Beyond any long: the end of the data must not overflow past the size checks.
        assertRefused(file("offsethuge.nii", r -> r.voxOffset = 1e30f), "truncated", "E30), but",
                "holds only 0");
        Path gz = tmp.resolve("offsethuge.nii.gz");
        RawNifti huge = new RawNifti().shape(4, 3, 2).values(NiftiDataType.INT16, new double[24]);
        huge.voxOffset = 1e30f;
        Files.write(gz, RawNifti.gzip(huge.bytes()));
        assertRefused(gz, "more than a", "gzip file can hold");
    }

    @Test
    void notNiftiAtAll() throws IOException {
        Path text = tmp.resolve("notes.nii");
        Files.write(text, "hello, this is not an image at all, just some words to fill the space".repeat(10)
                .getBytes(StandardCharsets.US_ASCII));
        assertHeaderRefused(text, "not a NIfTI-1 file", "sizeof_hdr", "expected 348");
        Path tiny = tmp.resolve("tiny.nii");
        Files.write(tiny, new byte[] {1, 2});
        assertHeaderRefused(tiny, "truncated", "2 bytes");
        Path empty = tmp.resolve("empty.nii.gz");
        Files.write(empty, new byte[0]);
        assertHeaderRefused(empty, "0 bytes");
        Path gzHeaderOnly = tmp.resolve("gzhead.nii.gz");
        Files.write(gzHeaderOnly, new byte[] {0x1f, (byte) 0x8b, 8, 0});
        assertHeaderRefused(gzHeaderOnly, "truncated", "gzip stream ends unexpectedly");
    }

    @Test
    void missingFileIsAnOrdinaryIoErrorNamingIt() {
        Path f = tmp.resolve("absent.nii.gz");
        IOException e = assertThrows(IOException.class, () -> NiftiIO.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    private static double[] randomish(int n) {
        double[] v = new double[n];
        java.util.Random rnd = new java.util.Random(n);
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextInt(2000) - 1000;
        }
        return v;
    }
}

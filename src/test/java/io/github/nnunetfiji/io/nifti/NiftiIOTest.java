package io.github.nnunetfiji.io.nifti;

import static io.github.nnunetfiji.io.nifti.NiftiNibabelInteropTest.assertAffine;
import static io.github.nnunetfiji.io.nifti.NiftiNibabelInteropTest.randomChannel;
import static io.github.nnunetfiji.io.nifti.NiftiNibabelInteropTest.rotation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/** Round trips and known answers for the NIfTI reader and writer, without nibabel. */
class NiftiIOTest {

    @TempDir
    Path tmp;

    private static final Geometry ROTATED = new Geometry(new double[] {0.7, 1.3, 2.5}, new double[] {-12.5, 40.25, 7},
            rotation(30, 15, -20, false));
    private static final Geometry LEFT_HANDED = new Geometry(new double[] {0.9, 0.9, 3}, new double[] {100, -50.5, 0},
            rotation(-10, 5, 45, true));

    // ------------------------------------------------------------------ round trips

    @ParameterizedTest
    @EnumSource(NiftiDataType.class)
    void everyDatatypeRoundTripsInNiiAndNiiGz(NiftiDataType t) throws IOException {
        Random rnd = new Random(t.ordinal());
        for (String ext : new String[] {".nii", ".nii.gz", ".NII.GZ"}) {
            for (Geometry g : new Geometry[] {ROTATED, LEFT_HANDED}) {
                Image img = Image.of(randomChannel(t, new long[] {7, 5, 3}, rnd), g);
                Path f = tmp.resolve("rt_" + t + ext);
                NiftiIO.write(img, f);
                Image back = NiftiIO.read(f);
                assertEquals(img.channel(0).getType().getClass(), back.channel(0).getType().getClass());
                assertSameValues(img, back);
                assertGeometry(g, back.geometry(), 1e-6);
                NiftiHeader h = NiftiIO.readHeader(f);
                assertEquals(t, h.datatype());
                assertEquals(ByteOrder.LITTLE_ENDIAN, h.byteOrder());
                assertFalse(h.isScaled());
            }
        }
    }

    @Test
    void twoDimensionalImageKeepsOneSliceAndItsZSpacing() throws IOException {
        Image img = Image.of(randomChannel(NiftiDataType.UINT16, new long[] {16, 9, 1}, new Random(1)),
                Geometry.ofSpacing(0.25, 0.5, 4));
        Path f = writeFile(img, tmp.resolve("flat.nii.gz"));
        Image back = NiftiIO.read(f);
        assertArrayEquals(new long[] {16, 9, 1}, back.shape());
        assertTrue(back.is2D());
        assertArrayEquals(new double[] {0.25, 0.5, 4}, back.geometry().spacing(), 1e-7);
        assertSameValues(img, back);
        assertArrayEquals(new int[] {3, 16, 9, 1, 1, 1, 1, 1}, NiftiIO.readHeader(f).dim());
    }

    @Test
    void channelsAreTheFourthDimension() throws IOException {
        Random rnd = new Random(3);
        List<RandomAccessibleInterval<? extends RealType<?>>> chs = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            chs.add(randomChannel(NiftiDataType.FLOAT32, new long[] {6, 4, 5}, rnd));
        }
        Image img = new Image(chs, ROTATED);
        Path f = writeFile(img, tmp.resolve("multi.nii.gz"));
        NiftiHeader h = NiftiIO.readHeader(f);
        assertArrayEquals(new int[] {4, 6, 4, 5, 3, 1, 1, 1}, h.dim());
        assertEquals(3, h.channels());
        Image back = NiftiIO.read(f);
        assertEquals(3, back.channelCount());
        assertSameValues(img, back);
    }

    @Test
    void writerConvertsToARequestedDatatypeAndChecksTheRange() throws IOException {
        float[] v = {0, 1.4f, 1.6f, 2.5f, 254.6f, -0.4f};
        Image img = Image.of(ArrayImgs.floats(v, 3, 2, 1), Geometry.ofSpacing(1, 1, 1));
        Path f = tmp.resolve("conv.nii");
        NiftiIO.write(img, f, NiftiDataType.UINT8);
        Image back = NiftiIO.read(f);
        assertInstanceOf(UnsignedByteType.class, back.channel(0).getType());
        assertArrayEquals(new double[] {0, 1, 2, 2, 255, 0}, values(back.channel(0)));

        Image bad = Image.of(ArrayImgs.floats(new float[] {1, 300}, 2, 1, 1), Geometry.ofSpacing(1, 1, 1));
        Path g = tmp.resolve("bad.nii.gz");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NiftiIO.write(bad, g, NiftiDataType.UINT8));
        assertTrue(e.getMessage().contains("300") && e.getMessage().contains(g.toString()), e.getMessage());
        assertFalse(Files.exists(g), "a failed write leaves no file");
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void writerHandlesViewsMixedChannelTypesAndRejectsTypesWithoutDatatype() throws IOException {
        short[] big = new short[10 * 10 * 4];
        for (int i = 0; i < big.length; i++) {
            big[i] = (short) (i - 200);
        }
        RandomAccessibleInterval<ShortType> view = Views.zeroMin(
                Views.interval(ArrayImgs.shorts(big, 10, 10, 4), new long[] {2, 3, 1}, new long[] {5, 6, 2}));
        RandomAccessibleInterval<UnsignedByteType> second = ArrayImgs.unsignedBytes(new byte[4 * 4 * 2], 4, 4, 2);
        Image img = new Image(List.of(view, second), ROTATED);
        Path f = writeFile(img, tmp.resolve("view.nii.gz"));
        Image back = NiftiIO.read(f);
        assertInstanceOf(ShortType.class, back.channel(1).getType());
        assertSameValues(img, back);

        Image unsigned = Image.of(ArrayImgs.unsignedInts(2, 2, 2), ROTATED);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NiftiIO.write(unsigned, tmp.resolve("u32.nii")));
        assertTrue(e.getMessage().contains("UnsignedIntType"), e.getMessage());
        NiftiIO.write(unsigned, tmp.resolve("u32.nii"), NiftiDataType.INT32);
        assertInstanceOf(IntType.class, NiftiIO.read(tmp.resolve("u32.nii")).channel(0).getType());

        assertThrows(IllegalArgumentException.class, () -> NiftiIO.write(unsigned, tmp.resolve("x.tif")));
        Image tooWide = Image.of(ArrayImgs.unsignedBytes(40000, 1, 1), ROTATED);
        e = assertThrows(IllegalArgumentException.class, () -> NiftiIO.write(tooWide, tmp.resolve("wide.nii")));
        assertTrue(e.getMessage().contains("32767"), e.getMessage());
    }

    // ------------------------------------------------------------------ the written header

    @Test
    void writtenHeaderHasBothXformsConsistentWithTheGeometry() throws IOException {
        Image img = Image.of(ArrayImgs.shorts(4, 3, 2), LEFT_HANDED);
        Path f = writeFile(img, tmp.resolve("hdr.nii.gz"));
        byte[] bytes;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(f))) {
            bytes = in.readAllBytes();
        }
        assertEquals(352 + 4 * 3 * 2 * 2, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(348, b.getInt(0));
        assertEquals(352f, b.getFloat(108));
        assertEquals("n+1\0", new String(bytes, 344, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(4, b.getShort(70));
        assertEquals(16, b.getShort(72));

        NiftiHeader h = NiftiIO.readHeader(f);
        assertEquals(1, h.sformCode());
        assertEquals(1, h.qformCode());
        assertEquals(-1.0, h.pixdim()[0], "left-handed direction: qfac -1");
        assertArrayEquals(new double[] {0.9, 0.9, 3}, new double[] {h.pixdim()[1], h.pixdim()[2], h.pixdim()[3]}, 1e-6);
        assertEquals(NiftiHeader.AffineSource.SFORM, h.affineSource());
        assertGeometry(LEFT_HANDED, h.geometry(), 1e-6);

        // The qform alone (sform_code set to 0) gives the same geometry.
        b.putShort(254, (short) 0);
        Path qonly = tmp.resolve("qonly.nii");
        Files.write(qonly, bytes);
        NiftiHeader q = NiftiIO.readHeader(qonly);
        assertEquals(NiftiHeader.AffineSource.QFORM, q.affineSource());
        assertGeometry(LEFT_HANDED, q.geometry(), 1e-6);
    }

    @Test
    void quaternionOfEveryKindOfRotationRoundTrips() {
        Random rnd = new Random(7);
        List<double[]> rots = new ArrayList<>();
        rots.add(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        rots.add(new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1}); // 180 degrees about z: trace -1
        rots.add(new double[] {1, 0, 0, 0, -1, 0, 0, 0, -1}); // 180 about x
        rots.add(new double[] {-1, 0, 0, 0, 1, 0, 0, 0, -1}); // 180 about y
        rots.add(new double[] {-1, 0, 0, 0, -1, 0, 0, 0, -1}); // improper: qfac -1
        for (int i = 0; i < 200; i++) {
            rots.add(rotation(rnd.nextDouble() * 360, rnd.nextDouble() * 360, rnd.nextDouble() * 360, rnd.nextBoolean()));
        }
        for (double[] r : rots) {
            double[] q = NiftiHeader.matrixToQuaternion(r);
            assertTrue(q[0] >= 0);
            double[] m = NiftiHeader.quaternionToMatrix(q[0], q[1], q[2], q[3]);
            for (int i = 0; i < 9; i++) {
                double expected = r[i] * (i % 3 == 2 ? q[4] : 1);
                assertEquals(expected, m[i], 1e-12);
            }
        }
    }

    // ------------------------------------------------------------------ reading crafted files

    @Test
    void bigEndianFilesReadLikeLittleEndianOnes() throws IOException {
        double[] v = {-32768, -1, 0, 1, 2, 32767};
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            RawNifti r = new RawNifti();
            r.order = order;
            r.shape(3, 2).values(NiftiDataType.INT16, v);
            r.sclSlope = 1;
            Image img = NiftiIO.read(r.write(tmp.resolve("be_" + order + ".nii.gz")));
            assertInstanceOf(ShortType.class, img.channel(0).getType());
            assertArrayEquals(v, values(img.channel(0)));
            assertArrayEquals(new long[] {3, 2, 1}, img.shape());
        }
        RawNifti r = new RawNifti();
        r.order = ByteOrder.BIG_ENDIAN;
        r.shape(2, 2, 1).values(NiftiDataType.FLOAT64, 1.5, -2.25, Double.MAX_VALUE, Double.NaN);
        Image img = NiftiIO.read(r.write(tmp.resolve("be64.nii")));
        assertArrayEquals(new double[] {1.5, -2.25, Double.MAX_VALUE, Double.NaN}, values(img.channel(0)));
        assertEquals(ByteOrder.BIG_ENDIAN, NiftiIO.readHeader(tmp.resolve("be64.nii")).byteOrder());
    }

    @Test
    void scalingFollowsNibabel() throws IOException {
        // int16 * 0.5 - 10 -> float32
        RawNifti r = new RawNifti().shape(4, 1, 1).values(NiftiDataType.INT16, -4, 0, 3, 32767);
        r.sclSlope = 0.5f;
        r.sclInter = -10f;
        Image img = NiftiIO.read(r.write(tmp.resolve("s16.nii")));
        assertInstanceOf(FloatType.class, img.channel(0).getType());
        assertArrayEquals(new double[] {-12, -10, -8.5, 16373.5}, values(img.channel(0)));
        // uint16 keeps its sign, uint8 too
        r = new RawNifti().shape(2).values(NiftiDataType.UINT16, 65535, 1);
        r.sclSlope = 2;
        assertArrayEquals(new double[] {131070, 2}, values(NiftiIO.read(r.write(tmp.resolve("su16.nii"))).channel(0)));
        r = new RawNifti().shape(2).values(NiftiDataType.UINT8, 255, 1);
        r.sclSlope = 1;
        r.sclInter = 0.5f;
        Image u8 = NiftiIO.read(r.write(tmp.resolve("su8.nii")));
        assertInstanceOf(FloatType.class, u8.channel(0).getType());
        assertArrayEquals(new double[] {255.5, 1.5}, values(u8.channel(0)));
        // int32 and float64 scale to double: float32 could not hold the result
        r = new RawNifti().shape(2).values(NiftiDataType.INT32, 2147483647, -3);
        r.sclSlope = 1;
        r.sclInter = 1;
        Image i32 = NiftiIO.read(r.write(tmp.resolve("si32.nii")));
        assertInstanceOf(DoubleType.class, i32.channel(0).getType());
        assertArrayEquals(new double[] {2147483648.0, -2}, values(i32.channel(0)));
        r = new RawNifti().shape(1).values(NiftiDataType.FLOAT64, 0.1);
        r.sclSlope = 3;
        Image f64 = NiftiIO.read(r.write(tmp.resolve("sf64.nii")));
        assertInstanceOf(DoubleType.class, f64.channel(0).getType());
        assertEquals(0.1 * 3, values(f64.channel(0))[0]);
        // (1, 0), slope 0 and slope NaN mean "unscaled": the stored type stays
        for (float[] si : new float[][] {{1, 0}, {0, 7}, {Float.NaN, 7}, {Float.POSITIVE_INFINITY, 0}}) {
            r = new RawNifti().shape(2).values(NiftiDataType.INT8, -128, 127);
            r.sclSlope = si[0];
            r.sclInter = si[1];
            Image i8 = NiftiIO.read(r.write(tmp.resolve("s8.nii")));
            assertInstanceOf(ByteType.class, i8.channel(0).getType());
            assertArrayEquals(new double[] {-128, 127}, values(i8.channel(0)));
            assertFalse(NiftiIO.readHeader(tmp.resolve("s8.nii")).isScaled());
        }
    }

    @Test
    void sformIsPreferredAndGivesTheAffineAsStored() throws IOException {
        RawNifti r = new RawNifti().shape(2, 2, 2).values(NiftiDataType.UINT8, 0, 1, 2, 3, 4, 5, 6, 7);
        r.sformCode = 2;
        r.srow = new float[][] {{0, 0, -2, 10}, {3, 0, 0, -20}, {0, 1.5f, 0, 30}};
        r.qformCode = 1; // ignored: sform wins
        r.quatern = new float[] {0.5f, 0.5f, 0.5f};
        r.pixdim = new float[] {1, 9, 9, 9, 1, 1, 1, 1}; // not used by the sform
        NiftiHeader h = NiftiIO.readHeader(r.write(tmp.resolve("sform.nii")));
        assertEquals(NiftiHeader.AffineSource.SFORM, h.affineSource());
        assertAffine(new double[][] {{0, 0, -2, 10}, {3, 0, 0, -20}, {0, 1.5, 0, 30}, {0, 0, 0, 1}}, h.affine(), 1e-12, "sform");
        assertArrayEquals(new double[] {3, 1.5, 2}, h.geometry().spacing(), 1e-12);
        assertArrayEquals(new double[] {10, -20, 30}, h.geometry().origin(), 1e-12);
    }

    @Test
    void qformGivesRotationTimesSpacingWithQfac() throws IOException {
        // 90 degrees about z: (b, c, d) = (0, 0, sin 45), qfac -1 flips the third column.
        RawNifti r = new RawNifti().shape(2, 2, 2).values(NiftiDataType.UINT8, 0, 1, 2, 3, 4, 5, 6, 7);
        r.qformCode = 1;
        r.quatern = new float[] {0, 0, (float) Math.sqrt(0.5)};
        r.qoffset = new float[] {5, 6, 7};
        r.pixdim = new float[] {-1, 2, 3, 4, 1, 1, 1, 1};
        NiftiHeader h = NiftiIO.readHeader(r.write(tmp.resolve("qform.nii")));
        assertEquals(NiftiHeader.AffineSource.QFORM, h.affineSource());
        assertAffine(new double[][] {{0, -3, 0, 5}, {2, 0, 0, 6}, {0, 0, -4, 7}, {0, 0, 0, 1}}, h.affine(), 1e-6, "qform");
        assertArrayEquals(new double[] {2, 3, 4}, h.geometry().spacing(), 0);

        // qfac 0 counts as 1; pixdim 0 as 1 and negative pixdim by its absolute value (nibabel's fixes)
        r.pixdim = new float[] {0, 0, -3, 4, 1, 1, 1, 1};
        h = NiftiIO.readHeader(r.write(tmp.resolve("qform2.nii")));
        assertAffine(new double[][] {{0, -3, 0, 5}, {1, 0, 0, 6}, {0, 0, 4, 7}, {0, 0, 0, 1}}, h.affine(), 1e-6, "fixed");

        // an invalid xform code counts as 0 (nibabel): pixdim-only fallback
        r.qformCode = 99;
        assertEquals(NiftiHeader.AffineSource.PIXDIM, NiftiIO.readHeader(r.write(tmp.resolve("qform3.nii"))).affineSource());
    }

    @Test
    void pixdimOnlyIsNibabelsCentredFallback() throws IOException {
        RawNifti r = new RawNifti().shape(5, 4, 3).values(NiftiDataType.UINT8, new double[60]);
        r.pixdim = new float[] {1, 2, 3, 4, 1, 1, 1, 1};
        NiftiHeader h = NiftiIO.readHeader(r.write(tmp.resolve("base.nii")));
        assertEquals(NiftiHeader.AffineSource.PIXDIM, h.affineSource());
        assertAffine(new double[][] {{-2, 0, 0, 4}, {0, 3, 0, -4.5}, {0, 0, 4, -4}, {0, 0, 0, 1}}, h.affine(), 1e-12, "base");
        // 2D: the z zoom is 1 whatever pixdim[3] says
        r = new RawNifti().shape(5, 4).values(NiftiDataType.UINT8, new double[20]);
        r.pixdim = new float[] {1, 2, 3, 7, 1, 1, 1, 1};
        h = NiftiIO.readHeader(r.write(tmp.resolve("base2d.nii")));
        assertArrayEquals(new long[] {5, 4, 1}, h.shape());
        assertAffine(new double[][] {{-2, 0, 0, 4}, {0, 3, 0, -4.5}, {0, 0, 1, 0}, {0, 0, 0, 1}}, h.affine(), 1e-12, "base 2D");
    }

    @Test
    void dimensionLayouts() throws IOException {
        // 1D
        NiftiHeader h = NiftiIO.readHeader(new RawNifti().shape(6).values(NiftiDataType.UINT8, new double[6])
                .write(tmp.resolve("d1.nii")));
        assertArrayEquals(new long[] {6, 1, 1}, h.shape());
        // 5D with dim[4] = 1: channels in dim[5], stored channel after channel
        double[] v = new double[2 * 2 * 1 * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        Path f = new RawNifti().shape(2, 2, 1, 1, 3).values(NiftiDataType.FLOAT32, v).write(tmp.resolve("d5.nii.gz"));
        Image img = NiftiIO.read(f);
        assertEquals(3, img.channelCount());
        assertArrayEquals(new double[] {8, 9, 10, 11}, values(img.channel(2)));
        // dims beyond dim[0] are ignored
        RawNifti r = new RawNifti().shape(2, 2).values(NiftiDataType.UINT8, 1, 2, 3, 4);
        r.dim[3] = 9;
        r.dim[4] = 5;
        assertEquals(1, NiftiIO.read(r.write(tmp.resolve("extra.nii"))).channelCount());
    }

    @Test
    void dataStartsAtVoxOffsetAfterExtensions() throws IOException {
        RawNifti r = new RawNifti().shape(3).values(NiftiDataType.UINT8, 7, 8, 9);
        r.extension = new byte[64];
        r.voxOffset = 352 + 64;
        assertArrayEquals(new double[] {7, 8, 9}, values(NiftiIO.read(r.write(tmp.resolve("ext.nii.gz"))).channel(0)));
    }

    @Test
    void compressionIsRecognisedByContentNotName() throws IOException {
        RawNifti r = new RawNifti().shape(3).values(NiftiDataType.UINT8, 7, 8, 9);
        Path gzNamedNii = tmp.resolve("really_gz.nii");
        Files.write(gzNamedNii, RawNifti.gzip(r.bytes()));
        assertArrayEquals(new double[] {7, 8, 9}, values(NiftiIO.read(gzNamedNii).channel(0)));
        Path rawNamedGz = tmp.resolve("really_raw.nii.gz");
        Files.write(rawNamedGz, r.bytes());
        assertArrayEquals(new double[] {7, 8, 9}, values(NiftiIO.read(rawNamedGz).channel(0)));
    }

    @Test
    void isNiftiLooksAtTheName() {
        assertTrue(NiftiIO.isNifti(Paths.get("a/b.nii")));
        assertTrue(NiftiIO.isNifti(Paths.get("b.NII.GZ")));
        assertTrue(NiftiIO.isNifti(Paths.get("x.Nii.Gz")));
        assertFalse(NiftiIO.isNifti(Paths.get("b.nii.zip")));
        assertFalse(NiftiIO.isNifti(Paths.get("b.gz")));
        assertFalse(NiftiIO.isNifti(Paths.get("nii")));
        assertFalse(NiftiIO.isNifti(Paths.get("/")));
        assertFalse(NiftiIO.isNifti(null));
    }

    // ------------------------------------------------------------------ helpers

    static double[] values(RandomAccessibleInterval<? extends RealType<?>> rai) {
        List<Double> out = new ArrayList<>();
        for (RealType<?> t : Views.flatIterable(rai)) {
            out.add(t.getRealDouble());
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void assertSameValues(Image expected, Image actual) {
        assertEquals(expected.channelCount(), actual.channelCount());
        assertArrayEquals(expected.shape(), actual.shape());
        for (int c = 0; c < expected.channelCount(); c++) {
            assertArrayEquals(values(expected.channel(c)), values(actual.channel(c)), "channel " + c);
        }
    }

    private static void assertGeometry(Geometry expected, Geometry actual, double tol) {
        assertAffine(expected.affine(), actual.affine(), tol, "geometry");
        assertArrayEquals(expected.spacing(), actual.spacing(), tol * 10);
    }

    private static Path writeFile(Image img, Path f) throws IOException {
        NiftiIO.write(img, f);
        return f;
    }
}

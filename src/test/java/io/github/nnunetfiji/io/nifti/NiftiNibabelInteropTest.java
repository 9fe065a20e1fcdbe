package io.github.nnunetfiji.io.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.testutil.Prerequisites;
import io.github.nnunetfiji.testutil.TestData;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;

/**
 * This reader and writer against nibabel, an independent implementation: real data sets, files
 * nibabel writes, and files written here that nibabel reads. Skipped only where no Python with
 * nibabel is available ({@code /usr/bin/python3}, or the {@code nnunet.python} property), and then
 * failed instead under {@code CI=true} ({@link Prerequisites}).
 */
class NiftiNibabelInteropTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void needNibabel() {
        Prerequisites.require(NiftiTestSupport.nibabelAvailable(), NiftiTestSupport.PYTHON
                + " with nibabel (apt-get install python3-nibabel)");
    }

    /** What the Java side read from one file, kept small so images need not stay in memory. */
    private static final class JavaRead {
        final NiftiHeader header;
        final long[] shape;
        final int channels;
        final double[][] affine;
        final double[] spacing;
        final String pixelType;
        final String sha256;

        JavaRead(Path file) throws IOException {
            header = NiftiIO.readHeader(file);
            Image img = NiftiIO.read(file);
            shape = img.shape();
            channels = img.channelCount();
            affine = img.geometry().affine();
            spacing = img.geometry().spacing();
            pixelType = img.pixelTypeName();
            sha256 = NiftiTestSupport.valuesSha256(img);
        }
    }

    @Test
    void everySharedNiftiReadsAsNibabelReadsIt() throws Exception {
        Path root = TestData.sharedRoot();
        Prerequisites.require(Files.isDirectory(root), "no shared data at " + root + " (set -Dnnunet.shared.data)");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".nii.gz")).sorted().collect(Collectors.toList());
        }
        Prerequisites.require(!files.isEmpty(), "no .nii.gz under " + root);
        // One Python process for all files, running while Java reads the same files.
        NiftiTestSupport.Helper helper = new NiftiTestSupport.Helper(tmp, "report",
                NiftiTestSupport.listFile(tmp, files).toString());
        Map<String, JavaRead> java = new HashMap<>();
        for (Path f : files) {
            java.put(f.toAbsolutePath().toString(), new JavaRead(f));
        }
        List<JsonObject> nib = helper.results();
        assertEquals(files.size(), nib.size());
        for (JsonObject n : nib) {
            JavaRead j = java.get(n.get("path").getAsString());
            assertMatches(n, j);
            // Real data: spacing (column norms of the affine) agrees with nibabel's zooms too.
            JsonArray zooms = n.getAsJsonArray("zooms");
            for (int d = 0; d < Math.min(3, zooms.size()); d++) {
                assertEquals(zooms.get(d).getAsDouble(), j.spacing[d], 1e-6, n.get("path").getAsString());
            }
        }
    }

    @Test
    void filesWrittenByNibabelReadIdentically() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("fixtures"));
        List<JsonObject> nib = new NiftiTestSupport.Helper(tmp, "make", dir.toString()).results();
        assertTrue(nib.size() >= 40, "fixtures made: " + nib.size());
        int bigEndian = 0;
        int scaled = 0;
        for (JsonObject n : nib) {
            JavaRead j = new JavaRead(Paths.get(n.get("path").getAsString()));
            assertMatches(n, j);
            bigEndian += j.header.byteOrder() == java.nio.ByteOrder.BIG_ENDIAN ? 1 : 0;
            scaled += j.header.isScaled() ? 1 : 0;
        }
        // The fixtures really cover what they are meant to.
        assertTrue(bigEndian >= 15, "big-endian fixtures: " + bigEndian);
        assertTrue(scaled >= 14, "scaled fixtures: " + scaled);
        assertEquals(NiftiHeader.AffineSource.QFORM, NiftiIO.readHeader(dir.resolve("qform_only_lh.nii")).affineSource());
        assertEquals(NiftiHeader.AffineSource.PIXDIM, NiftiIO.readHeader(dir.resolve("pixdim_only.nii")).affineSource());
        assertEquals(2, NiftiIO.readHeader(dir.resolve("five_d_be.nii")).channels());
        assertEquals(400, NiftiIO.readHeader(dir.resolve("extension.nii")).voxOffset());
    }

    @Test
    void filesWrittenHereReadIdenticallyInNibabel() throws Exception {
        Random rnd = new Random(42);
        double[] dir = rotation(25, -10, 40, true);
        Geometry g = new Geometry(new double[] {0.75, 1.25, 3.5}, new double[] {-101.5, 37.25, 8}, dir);
        List<Path> files = new ArrayList<>();
        Map<Path, Image> written = new HashMap<>();
        Map<Path, NiftiDataType> types = new HashMap<>();
        for (NiftiDataType t : NiftiDataType.values()) {
            for (String ext : new String[] {".nii", ".nii.gz"}) {
                Image img = Image.of(randomChannel(t, new long[] {9, 7, 5}, rnd), g);
                Path f = tmp.resolve("w_" + t + ext);
                NiftiIO.write(img, f);
                files.add(f);
                written.put(f, img);
                types.put(f, t);
            }
        }
        Image twoD = Image.of(randomChannel(NiftiDataType.UINT8, new long[] {11, 6, 1}, rnd), Geometry.ofSpacing(0.5, 0.5, 1));
        Image fourD = new Image(List.of(randomChannel(NiftiDataType.FLOAT32, new long[] {6, 5, 4}, rnd),
                randomChannel(NiftiDataType.FLOAT32, new long[] {6, 5, 4}, rnd),
                randomChannel(NiftiDataType.FLOAT32, new long[] {6, 5, 4}, rnd)), g);
        for (Object[] c : new Object[][] {{"w_2d.nii.gz", twoD, NiftiDataType.UINT8}, {"w_4d.nii.gz", fourD, NiftiDataType.FLOAT32},
                {"w_4d_as_int16.nii", fourD, NiftiDataType.INT16}}) {
            Path f = tmp.resolve((String) c[0]);
            Image img = (Image) c[1];
            NiftiDataType t = (NiftiDataType) c[2];
            if (t == NiftiDataType.INT16) {
                img = roundedCopy(img);
            }
            NiftiIO.write(img, f, t);
            files.add(f);
            written.put(f, img);
            types.put(f, t);
        }
        List<JsonObject> nib = new NiftiTestSupport.Helper(tmp, "report", NiftiTestSupport.listFile(tmp, files).toString()).results();
        assertEquals(files.size(), nib.size());
        for (JsonObject n : nib) {
            assertFalse(n.has("error"), () -> n.get("path") + ": " + n.get("error"));
            Path f = Paths.get(n.get("path").getAsString());
            Image img = written.get(f);
            String name = f.getFileName().toString();
            long[] s = img.shape();
            List<Long> expectedShape = new ArrayList<>(List.of(s[0], s[1], s[2]));
            if (img.channelCount() > 1) {
                expectedShape.add((long) img.channelCount());
            }
            assertEquals(expectedShape, longs(n.getAsJsonArray("shape")), name);
            assertEquals(types.get(f).label(), n.get("dtype").getAsString(), name);
            assertFalse(n.get("scaled").getAsBoolean(), name);
            assertEquals(1, n.get("sform_code").getAsInt(), name);
            assertEquals(1, n.get("qform_code").getAsInt(), name);
            double[][] expected = img.geometry().affine();
            // The header stores float32: compare to float32 precision.
            assertAffine(expected, matrix(n.getAsJsonArray("affine")), 1e-6, name + " sform");
            assertAffine(expected, matrix(n.getAsJsonArray("qform")), 1e-5, name + " qform");
            assertEquals(NiftiTestSupport.valuesSha256(img), n.get("sha256").getAsString(), name + " values");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void assertMatches(JsonObject n, JavaRead j) {
        String path = n.get("path").getAsString();
        assertFalse(n.has("error"), () -> path + ": nibabel failed: " + n.get("error"));
        NiftiHeader h = j.header;
        List<Long> nibShape = longs(n.getAsJsonArray("shape"));
        int[] dim = h.dim();
        List<Long> fileShape = new ArrayList<>();
        for (int i = 1; i <= dim[0]; i++) {
            fileShape.add((long) dim[i]);
        }
        assertEquals(nibShape, fileShape, path + " shape");
        long channels = 1;
        for (int i = 0; i < nibShape.size(); i++) {
            if (i < 3) {
                assertEquals((long) nibShape.get(i), j.shape[i], path + " shape");
            } else {
                channels *= nibShape.get(i);
            }
        }
        assertEquals(channels, j.channels, path + " channels");
        JsonArray zooms = n.getAsJsonArray("zooms");
        double[] pixdim = h.pixdim();
        for (int d = 0; d < Math.min(3, zooms.size()); d++) {
            double p = Math.abs(pixdim[d + 1]);
            assertEquals(zooms.get(d).getAsDouble(), p == 0 ? 1 : p, 1e-7, path + " zooms");
        }
        assertAffine(matrix(n.getAsJsonArray("affine")), j.affine, 1e-6, path + " affine");
        assertEquals(n.get("dtype").getAsString(), h.datatype().label(), path + " datatype");
        assertEquals(n.get("big_endian").getAsBoolean(), h.byteOrder() == java.nio.ByteOrder.BIG_ENDIAN, path);
        assertEquals(n.get("scaled").getAsBoolean(), h.isScaled(), path + " scaled");
        String expectedType = !h.isScaled() ? nativeTypeName(h.datatype())
                : h.datatype().scalesToDouble() ? "DoubleType" : "FloatType";
        assertEquals(expectedType, j.pixelType, path + " pixel type");
        assertEquals(n.get("sha256").getAsString(), j.sha256, path + " values");
    }

    private static String nativeTypeName(NiftiDataType t) {
        switch (t) {
            case UINT8: return "UnsignedByteType";
            case INT8: return "ByteType";
            case INT16: return "ShortType";
            case UINT16: return "UnsignedShortType";
            case INT32: return "IntType";
            case FLOAT32: return "FloatType";
            default: return "DoubleType";
        }
    }

    static void assertAffine(double[][] expected, double[][] actual, double tol, String what) {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                double e = expected[r][c];
                assertEquals(e, actual[r][c], tol * Math.max(1, Math.abs(e)), what + " [" + r + "][" + c + "]");
            }
        }
    }

    private static List<Long> longs(JsonArray a) {
        List<Long> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsLong()));
        return out;
    }

    private static double[][] matrix(JsonArray a) {
        double[][] m = new double[a.size()][];
        for (int r = 0; r < a.size(); r++) {
            JsonArray row = a.get(r).getAsJsonArray();
            m[r] = new double[row.size()];
            for (int c = 0; c < row.size(); c++) {
                m[r][c] = row.get(c).getAsDouble();
            }
        }
        return m;
    }

    /** Row-major rotation from angles about z, y, x (degrees); optionally with the third axis flipped. */
    static double[] rotation(double az, double ay, double ax, boolean leftHanded) {
        double[] rz = rot(2, az);
        double[] ry = rot(1, ay);
        double[] rx = rot(0, ax);
        double[] m = mul(mul(rz, ry), rx);
        if (leftHanded) {
            m[2] = -m[2];
            m[5] = -m[5];
            m[8] = -m[8];
        }
        return m;
    }

    private static double[] rot(int axis, double deg) {
        double c = Math.cos(Math.toRadians(deg));
        double s = Math.sin(Math.toRadians(deg));
        switch (axis) {
            case 0: return new double[] {1, 0, 0, 0, c, -s, 0, s, c};
            case 1: return new double[] {c, 0, s, 0, 1, 0, -s, 0, c};
            default: return new double[] {c, -s, 0, s, c, 0, 0, 0, 1};
        }
    }

    private static double[] mul(double[] a, double[] b) {
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 3; k++) {
                    m[r * 3 + c] += a[r * 3 + k] * b[k * 3 + c];
                }
            }
        }
        return m;
    }

    /** A channel of the native pixel type of {@code t}, random values including the type's extremes. */
    static RandomAccessibleInterval<? extends RealType<?>> randomChannel(NiftiDataType t, long[] shape, Random rnd) {
        int n = (int) (shape[0] * shape[1] * shape[2]);
        switch (t) {
            case UINT8:
            case INT8: {
                byte[] a = new byte[n];
                rnd.nextBytes(a);
                a[0] = (byte) (t == NiftiDataType.UINT8 ? 0 : Byte.MIN_VALUE);
                a[1] = (byte) (t == NiftiDataType.UINT8 ? 255 : Byte.MAX_VALUE);
                return t == NiftiDataType.UINT8 ? ArrayImgs.unsignedBytes(a, shape) : ArrayImgs.bytes(a, shape);
            }
            case INT16:
            case UINT16: {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (short) rnd.nextInt();
                }
                a[0] = t == NiftiDataType.INT16 ? Short.MIN_VALUE : 0;
                a[1] = t == NiftiDataType.INT16 ? Short.MAX_VALUE : (short) 65535;
                return t == NiftiDataType.INT16 ? ArrayImgs.shorts(a, shape) : ArrayImgs.unsignedShorts(a, shape);
            }
            case INT32: {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = rnd.nextInt();
                }
                a[0] = Integer.MIN_VALUE;
                a[1] = Integer.MAX_VALUE;
                return ArrayImgs.ints(a, shape);
            }
            case FLOAT32: {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) (rnd.nextGaussian() * 100);
                }
                a[0] = -0.0f;
                a[1] = Float.MAX_VALUE;
                a[2] = Float.MIN_VALUE;
                a[3] = Float.NaN;
                return ArrayImgs.floats(a, shape);
            }
            default: {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = rnd.nextGaussian() * 1e5;
                }
                a[0] = -0.0;
                a[1] = Double.MAX_VALUE;
                a[2] = Double.MIN_VALUE;
                a[3] = Double.NEGATIVE_INFINITY;
                return ArrayImgs.doubles(a, shape);
            }
        }
    }

    /** A float copy with values rounded to whole numbers within int16's range, so an int16 write is exact. */
    private static Image roundedCopy(Image img) {
        List<RandomAccessibleInterval<? extends RealType<?>>> out = new ArrayList<>();
        for (RandomAccessibleInterval<? extends RealType<?>> ch : img.channels()) {
            float[] a = new float[(int) img.voxelCount()];
            int i = 0;
            for (RealType<?> t : net.imglib2.view.Views.flatIterable(ch)) {
                double v = t.getRealDouble();
                // + 0f turns -0.0 into 0.0, which is what an integer file holds
                a[i++] = Double.isNaN(v) ? 0 : (float) Math.rint(Math.max(-30000, Math.min(30000, v))) + 0f;
            }
            out.add(ArrayImgs.floats(a, img.shape()));
        }
        return new Image(out, img.geometry());
    }
}

package io.github.nnunetfiji.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.testutil.Nibabel;

class VolumeResamplerTest {

    @TempDir
    Path tmp;

    private static float[] fill(int[] s, java.util.function.IntFunction<double[]> unused, Fn f) {
        float[] d = new float[s[0] * s[1] * s[2]];
        for (int z = 0; z < s[2]; z++) {
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++) {
                    d[x + s[0] * (y + s[1] * z)] = (float) f.at(x, y, z);
                }
            }
        }
        return d;
    }

    interface Fn {
        double at(double x, double y, double z);
    }

    /** Output voxel j sits at input coordinate (j + 0.5) n / m - 0.5. */
    private static double src(int j, int n, int m) {
        return (j + 0.5) * n / (double) m - 0.5;
    }

    @Test
    void cubicSplineReproducesCubicPolynomialsAwayFromTheEdges() {
        int[] s = {40, 36, 30};
        int[] t = {57, 23, 45};
        Fn f = (x, y, z) -> 0.01 * x * x * x - 0.2 * x * y + 0.05 * z * z - 0.3 * y + 2;
        float[] out = new VolumeResampler(2).resample(fill(s, null, f), s, t, new int[] {3, 3, 3});
        int checked = 0;
        for (int z = 0; z < t[2]; z++) {
            for (int y = 0; y < t[1]; y++) {
                for (int x = 0; x < t[0]; x++) {
                    double sx = src(x, s[0], t[0]);
                    double sy = src(y, s[1], t[1]);
                    double sz = src(z, s[2], t[2]);
                    // The edge continues as a constant, so exactness holds only well inside.
                    if (sx < 10 || sx > s[0] - 11 || sy < 10 || sy > s[1] - 11 || sz < 10 || sz > s[2] - 11) {
                        continue;
                    }
                    double expect = f.at(sx, sy, sz);
                    assertEquals(expect, out[x + t[0] * (y + t[1] * z)], 2e-4 * Math.max(1, Math.abs(expect)));
                    checked++;
                }
            }
        }
        assertTrue(checked > 1000);
    }

    @Test
    void linearAndNearestKnownAnswers() {
        int[] s = {4, 1, 1};
        float[] d = {0, 10, 20, 30};
        // 4 -> 8: output centres at -0.25, 0.25, 0.75, ... 3.25.
        float[] lin = new VolumeResampler(1).resample(d, s, new int[] {8, 1, 1}, new int[] {1, 1, 1});
        assertArrayEquals(new float[] {0, 2.5f, 7.5f, 12.5f, 17.5f, 22.5f, 27.5f, 30}, lin, 1e-5f);
        float[] nn = new VolumeResampler(1).resample(d, s, new int[] {8, 1, 1}, new int[] {0, 0, 0});
        assertArrayEquals(new float[] {0, 0, 10, 10, 20, 20, 30, 30}, nn);
        // 4 -> 2: centres at 0.5 and 2.5; nearest rounds half up as scipy does.
        assertArrayEquals(new float[] {10, 30}, new VolumeResampler(1).resample(d, s, new int[] {2, 1, 1}, new int[] {0, 0, 0}));
    }

    @Test
    void sameShapeIsIdentityAndConstantsStayConstant() {
        int[] s = {9, 8, 7};
        float[] d = fill(s, null, (x, y, z) -> 5.5);
        assertEquals(d, new VolumeResampler(2).resample(d, s, s, new int[] {3, 3, 3}));
        float[] out = new VolumeResampler(2).resample(d, s, new int[] {20, 3, 11}, new int[] {3, 3, 0});
        for (float v : out) {
            assertEquals(5.5f, v, 1e-5f);
        }
    }

    @Test
    void matchesScipyZoomOrder3GridModeNearest() throws Exception {
        Nibabel.assumeAvailable();
        int[] s = {33, 29, 17};
        int[] t = {21, 47, 40};
        Random rnd = new Random(42);
        float[] d = new float[s[0] * s[1] * s[2]];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian();
        }
        float[] ours = new VolumeResampler(2).resample(d, s, t, new int[] {3, 3, 3});
        float[] anisotropic = new VolumeResampler(2).resample(d, s, t, new int[] {3, 3, 0});
        Path in = tmp.resolve("in.f32");
        ByteBuffer bb = ByteBuffer.allocate(d.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(d);
        Files.write(in, bb.array());
        Nibabel.run("""
                import sys, numpy as np
                from scipy import ndimage
                s, t = (33, 29, 17), (21, 47, 40)
                d = np.fromfile(sys.argv[1], '<f4').reshape(s, order='F').astype(np.float64)
                zoom = [b / a for a, b in zip(s, t)]
                full = ndimage.zoom(d, zoom, order=3, mode='nearest', grid_mode=True)
                assert full.shape == t, full.shape
                full.astype('<f4').flatten(order='F').tofile(sys.argv[2])
                # Anisotropic: order 3 in x, y, then order 0 along z (the reference's separate-z path).
                inplane = ndimage.zoom(d, zoom[:2] + [1], order=3, mode='nearest', grid_mode=True)
                aniso = ndimage.zoom(inplane, [1, 1, zoom[2]], order=0, mode='nearest', grid_mode=True)
                aniso.astype('<f4').flatten(order='F').tofile(sys.argv[3])
                """, in.toString(), tmp.resolve("full.f32").toString(), tmp.resolve("aniso.f32").toString());
        assertClose(read(tmp.resolve("full.f32")), ours);
        assertClose(read(tmp.resolve("aniso.f32")), anisotropic);
    }

    @Test
    void matchesScipyOnFlatAndTinyVolumes() throws Exception {
        Nibabel.assumeAvailable();
        int[][][] cases = {{{64, 48, 1}, {23, 97, 1}}, {{10, 10, 10}, {3, 41, 7}}, {{5, 2, 9}, {16, 1, 4}}};
        Random rnd = new Random(7);
        for (int[][] c : cases) {
            int[] s = c[0];
            int[] t = c[1];
            float[] d = new float[s[0] * s[1] * s[2]];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (rnd.nextGaussian() * 100);
            }
            Path in = tmp.resolve("in.f32");
            ByteBuffer bb = ByteBuffer.allocate(d.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(d);
            Files.write(in, bb.array());
            Nibabel.run("""
                    import sys, numpy as np
                    from scipy import ndimage
                    s = tuple(int(v) for v in sys.argv[3].split(','))
                    t = tuple(int(v) for v in sys.argv[4].split(','))
                    d = np.fromfile(sys.argv[1], '<f4').reshape(s, order='F').astype(np.float64)
                    out = ndimage.zoom(d, [b / a for a, b in zip(s, t)], order=3, mode='nearest', grid_mode=True)
                    assert out.shape == t, out.shape
                    out.astype('<f4').flatten(order='F').tofile(sys.argv[2])
                    """, in.toString(), tmp.resolve("out.f32").toString(), s[0] + "," + s[1] + "," + s[2],
                    t[0] + "," + t[1] + "," + t[2]);
            float[] expected = read(tmp.resolve("out.f32"));
            float[] ours = new VolumeResampler(2).resample(d, s, t, new int[] {3, 3, 3});
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - ours[i]));
            }
            assertTrue(worst < 1e-3, java.util.Arrays.toString(s) + " -> " + java.util.Arrays.toString(t)
                    + ": largest difference to scipy " + worst + " (values ~100)");
        }
    }

    /**
     * A CT-like volume after normalization: flat plateaus at the clip bounds with sharp edges
     * between them, where a cubic spline rings beyond the input's range. The reference resizes
     * with {@code skimage.transform.resize} (clip=True): the whole channel clamped to its range,
     * or, with a separate axis, every slice across it clamped to its own range before nearest
     * neighbour along that axis. Computed here with skimage and scipy themselves.
     */
    @Test
    void clampsToTheInputRangeAsSkimageResizeDoes() throws Exception {
        Nibabel.assumeSkimageAvailable();
        int[] s = {30, 26, 9};
        Random rnd = new Random(5);
        float[] d = new float[s[0] * s[1] * s[2]];
        for (int z = 0; z < s[2]; z++) {
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++) {
                    double r = Math.hypot(x - 15, y - 13);
                    // Air clipped to -1.2 outside, tissue around 0.3 with noise, bone clipped to 2.5;
                    // the bone shrinks from slice to slice, so each slice has its own range.
                    double v = r > 11 ? -1.2 : r < 4 - 0.3 * z ? 2.5 : 0.3 + 0.1 * rnd.nextGaussian();
                    d[x + s[0] * (y + s[1] * z)] = (float) v;
                }
            }
        }
        int[] full = {41, 19, 13};
        int[] aniso = {41, 19, 20};
        float[] ours = new VolumeResampler(2).resampleImage(d, s, full, 3, -1, 0);
        float[] oursAniso = new VolumeResampler(2).resampleImage(d, s, aniso, 3, 2, 0);
        float[] oursAnisoShrink = new VolumeResampler(2).resampleImage(d, s, new int[] {41, 19, 5}, 3, 2, 0);
        Path in = tmp.resolve("in.f32");
        ByteBuffer bb = ByteBuffer.allocate(d.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(d);
        Files.write(in, bb.array());
        Nibabel.run("""
                import sys, numpy as np
                from scipy.ndimage import map_coordinates
                from skimage.transform import resize
                s = (30, 26, 9)
                d = np.fromfile(sys.argv[1], '<f4').reshape(s, order='F').astype(np.float64)
                def save(a, f):
                    a.astype('<f4').flatten(order='F').tofile(f)
                save(resize(d, (41, 19, 13), 3, mode='edge', anti_aliasing=False), sys.argv[2])
                def separate_z(d, t):
                    # In-plane resize of every z slice (each clipped to its own range), then
                    # nearest neighbour along z at (o + 0.5) * in / out - 0.5.
                    inplane = np.stack([resize(d[:, :, k], t[:2], 3, mode='edge', anti_aliasing=False)
                                        for k in range(d.shape[2])], 2)
                    scale = [a / b for a, b in zip(inplane.shape, t)]
                    grid = np.mgrid[:t[0], :t[1], :t[2]].astype(np.float64)
                    coords = np.array([sc * (g + 0.5) - 0.5 for sc, g in zip(scale, grid)])
                    return map_coordinates(inplane, coords, order=0, mode='nearest')
                save(separate_z(d, (41, 19, 20)), sys.argv[3])
                save(separate_z(d, (41, 19, 5)), sys.argv[4])
                """, in.toString(), tmp.resolve("full.f32").toString(), tmp.resolve("aniso.f32").toString(),
                tmp.resolve("shrink.f32").toString());
        assertCloseTo(read(tmp.resolve("full.f32")), ours, 1e-5);
        assertCloseTo(read(tmp.resolve("aniso.f32")), oursAniso, 1e-5);
        assertCloseTo(read(tmp.resolve("shrink.f32")), oursAnisoShrink, 1e-5);
        // Without the clamp the spline overshoots the plateaus: the comparison above has teeth.
        float[] unclamped = new VolumeResampler(2).resample(d, s, full, new int[] {3, 3, 3});
        float worst = 0;
        for (float v : unclamped) {
            worst = Math.max(worst, Math.max(v - 2.5f, -1.2f - v));
        }
        assertTrue(worst > 0.05, "ringing beyond the range: " + worst);
    }

    private static void assertCloseTo(float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst < tolerance, "largest difference to the reference: " + worst);
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst < 1e-5, "largest difference to scipy: " + worst);
    }

    private static float[] read(Path p) throws Exception {
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[bb.remaining() / 4];
        bb.asFloatBuffer().get(f);
        return f;
    }
}

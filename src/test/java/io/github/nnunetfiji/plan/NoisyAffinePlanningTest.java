package io.github.nnunetfiji.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.cli.Main;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.preprocess.ResamplingRule;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * An isotropic 1 mm data set whose oblique affine, stored as float32, gives column lengths that
 * differ from 1 by about 1e-8, with y the longest: planned end to end from its NIfTI files, the 2D
 * U-Net slices along z (as the reference does for isotropic data), and nothing is anisotropic.
 */
class NoisyAffinePlanningTest {

    @TempDir
    Path tmp;

    /** Rotation Rz(12 deg) Ry(3 deg) Rx(25 deg): float32 rounding makes its y column the longest. */
    static double[] obliqueDirection() {
        double a = Math.toRadians(12);
        double b = Math.toRadians(3);
        double c = Math.toRadians(25);
        double[][] rz = {{Math.cos(a), -Math.sin(a), 0}, {Math.sin(a), Math.cos(a), 0}, {0, 0, 1}};
        double[][] ry = {{Math.cos(b), 0, Math.sin(b)}, {0, 1, 0}, {-Math.sin(b), 0, Math.cos(b)}};
        double[][] rx = {{1, 0, 0}, {0, Math.cos(c), -Math.sin(c)}, {0, Math.sin(c), Math.cos(c)}};
        double[][] m = multiply(multiply(rz, ry), rx);
        double[] dir = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                dir[r * 3 + k] = m[r][k];
            }
        }
        return dir;
    }

    private static double[][] multiply(double[][] p, double[][] q) {
        double[][] out = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    out[i][j] += p[i][k] * q[k][j];
                }
            }
        }
        return out;
    }

    /** Writes a small channel-files data set of three cases, 40x48x36 voxels, on the oblique grid. */
    private Path writeDataSet() throws Exception {
        Path ds = tmp.resolve("Task900_Noisy");
        Files.createDirectories(ds.resolve("imagesTr"));
        Files.createDirectories(ds.resolve("labelsTr"));
        Files.writeString(ds.resolve("dataset.json"), "{\"channel_names\": {\"0\": \"MR\"}, \"labels\": "
                + "{\"background\": 0, \"lesion\": 1}, \"numTraining\": 3, \"file_ending\": \".nii.gz\"}");
        Geometry g = new Geometry(new double[] {1, 1, 1}, new double[] {-20, -24, -18}, obliqueDirection());
        Random r = new Random(5);
        long[] shape = {40, 48, 36};
        for (int i = 0; i < 3; i++) {
            ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(shape);
            ArrayImg<ByteType, ByteArray> lab = ArrayImgs.bytes(shape);
            float[] v = img.update(null).getCurrentStorageArray();
            byte[] l = lab.update(null).getCurrentStorageArray();
            for (int k = 0; k < v.length; k++) {
                long x = k % shape[0];
                long y = (k / shape[0]) % shape[1];
                long z = k / (shape[0] * shape[1]);
                boolean inside = Math.pow(x - 20, 2) + Math.pow(y - 24, 2) + Math.pow(z - 18, 2) < 64 + 8 * i;
                l[k] = (byte) (inside ? 1 : 0);
                v[k] = (float) (100 + (inside ? 50 : 0) + 10 * r.nextGaussian());
            }
            String id = "case_" + i;
            ImageIO.write(Image.of(img, g), ds.resolve("imagesTr/" + id + "_0000.nii.gz"));
            ImageIO.write(Image.of(lab, g), ds.resolve("labelsTr/" + id + ".nii.gz"));
        }
        return ds;
    }

    @Test
    void isotropicDataSetWithAffineNoiseIsSlicedAlongZ() throws Exception {
        Path ds = writeDataSet();
        // The premise: the spacing read back carries noise that makes y the exactly-compared coarsest axis.
        double[] read = ImageIO.read(ds.resolve("imagesTr/case_0_0000.nii.gz")).geometry().spacing();
        assertTrue(read[1] > read[0] && read[1] > read[2], "noise premise: " + read[0] + ", " + read[1] + ", " + read[2]);
        for (int d = 0; d < 3; d++) {
            assertTrue(read[d] != 1 && Math.abs(read[d] - 1) < 1e-7, "noise premise, axis " + d + ": " + read[d]);
        }

        for (String planner : Planners.names()) {
            Path work = tmp.resolve("work-" + planner);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = new Main().run(List.of("plan", ds.toString(), "--planner", planner, "--work", work.toString()),
                    new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
            assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
            Plans plans = Plans.read(work.resolve("Task900_Noisy/plans.json"));
            PlanConfiguration c2d = plans.configuration("2d");
            assertEquals(AxisOrder.Z, c2d.sliceAxis(), planner);
            assertEquals(1, c2d.patchSize()[AxisOrder.Z], planner + " 2D patch " + AxisOrder.format(c2d.patchSize()));
            // The whole 40x48 plane fits: the patch covers it, padded to the pooling divisor.
            assertTrue(c2d.patchSize()[0] >= 40 && c2d.patchSize()[1] >= 48, planner);
            PlanConfiguration c3d = plans.configuration("3d_fullres");
            assertNull(c3d.anisotropicAxis(), planner);
            assertNull(c2d.anisotropicAxis(), planner);
            // Pooling is the same along all three axes, as for an exact 1 mm grid.
            int[] pools = c3d.poolingsPerAxis();
            assertArrayEquals(new int[] {pools[0], pools[0], pools[0]}, pools, planner);
            // The resampling rule sees no anisotropy either, for the case against its target.
            assertEquals(-1, ResamplingRule.separateAxis(read, ResamplingRule.targetSpacing(c3d, read),
                    c3d.anisotropyThreshold()), planner);
        }
    }
}

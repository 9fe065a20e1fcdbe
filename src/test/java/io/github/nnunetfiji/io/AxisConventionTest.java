package io.github.nnunetfiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ij.ImagePlusConverter;
import io.github.nnunetfiji.testutil.Nibabel;
import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;

/**
 * The axis convention across every reader and writer: one image with distinct extents per axis
 * (7 x 5 x 3) and a voxel code that reveals any swapped or reversed axis goes through NIfTI, TIFF,
 * ImagePlus and nibabel, and voxel (x, y, z) must hold the same value everywhere.
 */
class AxisConventionTest {

    @TempDir
    Path tmp;

    private static final long[] SHAPE = {7, 5, 3};

    private static int code(long x, long y, long z) {
        return (int) (100 * z + 10 * y + x);
    }

    private static Image coded() {
        ArrayImg<ShortType, ShortArray> img = ArrayImgs.shorts(SHAPE);
        RandomAccess<ShortType> ra = img.randomAccess();
        for (int z = 0; z < SHAPE[2]; z++) {
            for (int y = 0; y < SHAPE[1]; y++) {
                for (int x = 0; x < SHAPE[0]; x++) {
                    ra.setPositionAndGet(x, y, z).set((short) code(x, y, z));
                }
            }
        }
        return Image.of(img, Geometry.ofSpacing(0.5, 0.8, 2.5).withOrigin(new double[] {-10, 20, 5}));
    }

    private static void assertCoded(Image img) {
        assertArrayEquals(SHAPE, img.shape());
        RandomAccess<? extends RealType<?>> ra = img.channel(0).randomAccess();
        for (int z = 0; z < SHAPE[2]; z++) {
            for (int y = 0; y < SHAPE[1]; y++) {
                for (int x = 0; x < SHAPE[0]; x++) {
                    ra.setPosition(new long[] {x, y, z});
                    assertEquals(code(x, y, z), ra.get().getRealDouble(), "voxel " + x + "," + y + "," + z);
                }
            }
        }
    }

    @Test
    void niftiWriteAndReadKeepAxes() throws Exception {
        Path f = tmp.resolve("coded.nii.gz");
        ImageIO.write(coded(), f);
        Image back = ImageIO.read(f);
        assertCoded(back);
        assertArrayEquals(new double[] {0.5, 0.8, 2.5}, back.geometry().spacing(), 1e-6);
        assertArrayEquals(new double[] {-10, 20, 5}, back.geometry().origin(), 1e-4);
    }

    @Test
    void tiffWriteAndReadKeepAxes() throws Exception {
        Path f = tmp.resolve("coded.tif");
        ImageIO.write(coded(), f);
        Image back = ImageIO.read(f);
        assertCoded(back);
        assertArrayEquals(new double[] {0.5, 0.8, 2.5}, back.geometry().spacing(), 1e-6);
    }

    @Test
    void imagePlusSeesXAsWidthYAsHeightZAsSlice() throws Exception {
        Path f = tmp.resolve("coded.nii.gz");
        ImageIO.write(coded(), f);
        ImagePlus imp = ImagePlusConverter.toImagePlus(ImageIO.read(f), "coded", "mm");
        assertEquals(7, imp.getWidth());
        assertEquals(5, imp.getHeight());
        assertEquals(3, imp.getNSlices());
        imp.setSlice(3); // z = 2
        assertEquals(code(6, 4, 2), imp.getProcessor().getPixelValue(6, 4), 0);
        assertEquals(2.5, imp.getCalibration().pixelDepth, 1e-6);
        // And an ImagePlus built in ImageJ comes in the same way.
        ImagePlus made = IJ.createImage("m", "16-bit black", 7, 5, 3);
        made.setSlice(2);
        made.getProcessor().set(6, 4, 999);
        RandomAccess<? extends RealType<?>> ra = ImagePlusConverter.toImage(made).channel(0).randomAccess();
        ra.setPosition(new long[] {6, 4, 1});
        assertEquals(999, ra.get().getRealDouble());
    }

    @Test
    void nibabelIndexesFilesWrittenHereTheSameWay() throws Exception {
        Nibabel.assumeAvailable();
        Path f = tmp.resolve("coded.nii.gz");
        ImageIO.write(coded(), f);
        String out = Nibabel.run("""
                import sys, nibabel as nib, numpy as np
                img = nib.load(sys.argv[1])
                d = np.asarray(img.dataobj)
                print(d.shape, int(d[6, 4, 2]), int(d[1, 2, 0]), img.header.get_zooms())
                """, f.toString()).trim();
        assertEquals("(7, 5, 3) 246 21 (0.5, 0.8, 2.5)", out);
    }

    @Test
    void filesWrittenByNibabelReadTheSameWayHere() throws Exception {
        Nibabel.assumeAvailable();
        Path f = tmp.resolve("nib.nii.gz");
        Nibabel.run("""
                import sys, nibabel as nib, numpy as np
                x, y, z = np.meshgrid(np.arange(7), np.arange(5), np.arange(3), indexing='ij')
                d = (100 * z + 10 * y + x).astype(np.int16)
                nib.save(nib.Nifti1Image(d, np.diag([0.5, 0.8, 2.5, 1.0])), sys.argv[1])
                """, f.toString());
        assertCoded(ImageIO.read(f));
    }
}

package io.github.nnunetfiji.io.ij;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ij.IJ;
import ij.ImagePlus;
import io.github.nnunetfiji.image.Image;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

class ImagePlusConverterTest {

    /** Value of voxel (x, y, z) in channel c: every index leaves its own digit, so a swapped axis shows. */
    static int code(int c, int x, int y, int z) {
        return 1000 * c + 100 * z + 10 * y + x;
    }

    static ImagePlus hyperstack16(int w, int h, int nc, int nz) {
        ImagePlus imp = IJ.createHyperStack("t", w, h, nc, nz, 1, 16);
        for (int z = 0; z < nz; z++) {
            for (int c = 0; c < nc; c++) {
                imp.setPositionWithoutUpdate(c + 1, z + 1, 1);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        imp.getProcessor().set(x, y, code(c, x, y, z));
                    }
                }
            }
        }
        imp.getCalibration().pixelWidth = 0.5;
        imp.getCalibration().pixelHeight = 0.25;
        imp.getCalibration().pixelDepth = 3.0;
        imp.getCalibration().xOrigin = 4; // pixels
        return imp;
    }

    @Test
    void imagePlusAxesBecomeXyzAndChannelsStayChannels() {
        ImagePlus imp = hyperstack16(5, 4, 2, 3);
        Image img = ImagePlusConverter.toImage(imp);
        assertArrayEquals(new long[] {5, 4, 3}, img.shape());
        assertEquals(2, img.channelCount());
        assertInstanceOf(UnsignedShortType.class, img.channel(0).getType());
        assertArrayEquals(new double[] {0.5, 0.25, 3.0}, img.geometry().spacing());
        assertEquals(-2.0, img.geometry().origin()[0], 1e-12); // -xOrigin * pixelWidth
        for (int c = 0; c < 2; c++) {
            RandomAccess<? extends RealType<?>> ra = img.channel(c).randomAccess();
            for (int z = 0; z < 3; z++) {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 5; x++) {
                        ra.setPosition(new long[] {x, y, z});
                        assertEquals(code(c, x, y, z), ra.get().getRealDouble());
                    }
                }
            }
        }
    }

    @Test
    void roundTripThroughImagePlusIsExact() {
        ImagePlus imp = hyperstack16(5, 4, 2, 3);
        ImagePlus back = ImagePlusConverter.toImagePlus(ImagePlusConverter.toImage(imp), "back", "mm");
        assertArrayEquals(imp.getDimensions(), back.getDimensions());
        assertEquals(16, back.getBitDepth());
        for (int i = 1; i <= imp.getStackSize(); i++) {
            assertArrayEquals((short[]) imp.getStack().getPixels(i), (short[]) back.getStack().getPixels(i));
        }
        assertEquals(0.25, back.getCalibration().pixelHeight);
        assertEquals(4.0, back.getCalibration().xOrigin, 1e-12);
        assertEquals("mm", back.getCalibration().getUnit());
    }

    @Test
    void floatImagesStayFloat() {
        ImagePlus imp = IJ.createImage("f", "32-bit black", 3, 2, 1);
        imp.getProcessor().setf(2, 1, -1.5f);
        Image img = ImagePlusConverter.toImage(imp);
        assertInstanceOf(FloatType.class, img.channel(0).getType());
        assertTrue(img.is2D());
        RandomAccess<? extends RealType<?>> ra = img.channel(0).randomAccess();
        ra.setPosition(new long[] {2, 1, 0});
        assertEquals(-1.5, ra.get().getRealDouble());
    }

    @Test
    void rgbAndTimeSeriesAreRejectedWithTheFix() {
        ImagePlus rgb = IJ.createImage("rgb", "RGB black", 3, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImagePlusConverter.toImage(rgb));
        assertTrue(e.getMessage().contains("RGB") && e.getMessage().contains("Make Composite"), e.getMessage());
        ImagePlus t = IJ.createHyperStack("t", 3, 2, 1, 1, 4, 8);
        e = assertThrows(IllegalArgumentException.class, () -> ImagePlusConverter.toImage(t));
        assertTrue(e.getMessage().contains("4 frames"), e.getMessage());
    }
}

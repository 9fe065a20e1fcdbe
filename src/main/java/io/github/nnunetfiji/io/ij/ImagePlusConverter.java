package io.github.nnunetfiji.io.ij;

import java.util.ArrayList;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Converts between Fiji's {@link ImagePlus} and the internal {@link Image}, keeping the axes of
 * {@link io.github.nnunetfiji.image.AxisOrder}: ImageJ width, height and slices are x, y and z; ImageJ
 * channels are channels. Spacing comes from the calibration ({@code pixelWidth}, {@code pixelHeight},
 * {@code pixelDepth}); ImageJ's origin is in pixels, so world origin = {@code -xOrigin * pixelWidth}.
 * ImageJ has no orientation: images coming from it are axis-aligned, and the direction of an image
 * going to it is dropped.
 */
public final class ImagePlusConverter {

    private ImagePlusConverter() {
    }

    /**
     * Copies an ImagePlus into an {@link Image}. 8-bit and 16-bit images stay unsigned integers,
     * 32-bit images are float.
     *
     * @throws IllegalArgumentException for RGB images and time series, with the menu command that fixes them
     */
    public static Image toImage(ImagePlus imp) {
        String title = imp.getTitle();
        if (imp.getType() == ImagePlus.COLOR_RGB) {
            throw new IllegalArgumentException("Image '" + title + "' is RGB; convert it to channels first "
                    + "(Image > Color > Make Composite, or Image > Type > 8-bit for grey)");
        }
        int nFrames = imp.getNFrames();
        int nSlices = imp.getNSlices();
        if (nFrames > 1) {
            throw new IllegalArgumentException("Image '" + title + "' is a time series with " + nFrames
                    + " frames; nnU-Net segments 2D or 3D images. Use Image > Hyperstacks > Re-order Hyperstack "
                    + "to turn frames into slices, or Image > Duplicate to pick one frame");
        }
        int w = imp.getWidth();
        int h = imp.getHeight();
        int nc = imp.getNChannels();
        ImageStack stack = imp.getStack();
        List<RandomAccessibleInterval<? extends RealType<?>>> channels = new ArrayList<>(nc);
        int bitDepth = imp.getBitDepth();
        for (int c = 0; c < nc; c++) {
            long[] shape = {w, h, nSlices};
            int plane = w * h;
            if (bitDepth == 8) {
                byte[] data = new byte[Math.multiplyExact(plane, nSlices)];
                for (int z = 0; z < nSlices; z++) {
                    byte[] px = (byte[]) stack.getPixels(imp.getStackIndex(c + 1, z + 1, 1));
                    System.arraycopy(px, 0, data, z * plane, plane);
                }
                channels.add(ArrayImgs.unsignedBytes(data, shape));
            } else if (bitDepth == 16) {
                short[] data = new short[Math.multiplyExact(plane, nSlices)];
                for (int z = 0; z < nSlices; z++) {
                    short[] px = (short[]) stack.getPixels(imp.getStackIndex(c + 1, z + 1, 1));
                    System.arraycopy(px, 0, data, z * plane, plane);
                }
                channels.add(ArrayImgs.unsignedShorts(data, shape));
            } else {
                float[] data = new float[Math.multiplyExact(plane, nSlices)];
                for (int z = 0; z < nSlices; z++) {
                    float[] px = (float[]) stack.getProcessor(imp.getStackIndex(c + 1, z + 1, 1))
                            .convertToFloatProcessor().getPixels();
                    System.arraycopy(px, 0, data, z * plane, plane);
                }
                channels.add(ArrayImgs.floats(data, shape));
            }
        }
        return new Image(channels, geometryOf(imp.getCalibration()));
    }

    /** Spacing and origin from an ImageJ calibration; uncalibrated axes get spacing 1. */
    public static Geometry geometryOf(Calibration cal) {
        double[] sp = {positiveOr1(cal.pixelWidth), positiveOr1(cal.pixelHeight), positiveOr1(cal.pixelDepth)};
        double[] origin = {-cal.xOrigin * sp[0], -cal.yOrigin * sp[1], -cal.zOrigin * sp[2]};
        return Geometry.ofSpacing(sp).withOrigin(origin);
    }

    private static double positiveOr1(double v) {
        return v > 0 && Double.isFinite(v) ? v : 1.0;
    }

    /**
     * Copies an {@link Image} into a new ImagePlus (a hyperstack when it has several channels).
     * Unsigned 8- and 16-bit channels stay 8- and 16-bit; every other type becomes 32-bit float.
     *
     * @param unit calibration unit for the spacing, e.g. "mm"
     */
    public static ImagePlus toImagePlus(Image image, String title, String unit) {
        long[] s = image.shape();
        int w = Math.toIntExact(s[0]);
        int h = Math.toIntExact(s[1]);
        int nz = Math.toIntExact(s[2]);
        int nc = image.channelCount();
        Object type = image.channel(0).getType();
        boolean allSameType = true;
        for (int c = 1; c < nc; c++) {
            allSameType &= image.channel(c).getType().getClass() == type.getClass();
        }
        int bitDepth = !allSameType ? 32 : type instanceof UnsignedByteType ? 8 : type instanceof UnsignedShortType ? 16 : 32;
        ImageStack stack = new ImageStack(w, h);
        // ImageJ stack order is channel fastest, then slice (czt).
        for (int z = 0; z < nz; z++) {
            for (int c = 0; c < nc; c++) {
                stack.addSlice(planeOf(image.channel(c), z, w, h, bitDepth));
            }
        }
        ImagePlus imp = new ImagePlus(title, stack);
        imp.setDimensions(nc, nz, 1);
        if (nc > 1) {
            imp.setOpenAsHyperStack(true);
        }
        Calibration cal = imp.getCalibration();
        double[] sp = image.geometry().spacing();
        double[] origin = image.geometry().origin();
        cal.pixelWidth = sp[0];
        cal.pixelHeight = sp[1];
        cal.pixelDepth = sp[2];
        cal.xOrigin = -origin[0] / sp[0];
        cal.yOrigin = -origin[1] / sp[1];
        cal.zOrigin = -origin[2] / sp[2];
        if (unit != null) {
            cal.setUnit(unit);
        }
        imp.resetDisplayRange();
        return imp;
    }

    /** A label map as an 8-, 16- or 32-bit ImagePlus, whichever holds its largest value. */
    public static ImagePlus toImagePlus(LabelImage labels, String title, String unit) {
        return toImagePlus(labels.asImage(), title, unit);
    }

    private static ImageProcessor planeOf(RandomAccessibleInterval<? extends RealType<?>> ch, int z, int w, int h,
            int bitDepth) {
        RandomAccessibleInterval<? extends RealType<?>> slice = Views.hyperSlice(ch, 2, z);
        RandomAccess<? extends RealType<?>> ra = slice.randomAccess();
        if (bitDepth == 8) {
            byte[] px = new byte[w * h];
            ArrayImg<UnsignedByteType, ByteArray> dst = ArrayImgs.unsignedBytes(px, w, h);
            copyPlane(ra, dst.randomAccess(), w, h);
            return new ByteProcessor(w, h, px);
        } else if (bitDepth == 16) {
            short[] px = new short[w * h];
            ArrayImg<UnsignedShortType, ShortArray> dst = ArrayImgs.unsignedShorts(px, w, h);
            copyPlane(ra, dst.randomAccess(), w, h);
            return new ShortProcessor(w, h, px, null);
        }
        float[] px = new float[w * h];
        ArrayImg<FloatType, FloatArray> dst = ArrayImgs.floats(px, w, h);
        copyPlane(ra, dst.randomAccess(), w, h);
        return new FloatProcessor(w, h, px);
    }

    private static void copyPlane(RandomAccess<? extends RealType<?>> src, RandomAccess<? extends RealType<?>> dst,
            int w, int h) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                src.setPosition(x, 0);
                src.setPosition(y, 1);
                dst.setPosition(x, 0);
                dst.setPosition(y, 1);
                dst.get().setReal(src.get().getRealDouble());
            }
        }
    }
}

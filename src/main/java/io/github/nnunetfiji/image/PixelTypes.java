package io.github.nnunetfiji.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.IntegerType;

/** Small helpers about the pixel type of an image. */
public final class PixelTypes {

    private PixelTypes() {
    }

    /** Simple class name of the pixel type, e.g. {@code FloatType}. */
    public static String nameOf(RandomAccessibleInterval<?> rai) {
        return rai.getType().getClass().getSimpleName();
    }

    /** True if the pixel type holds integers only. */
    public static boolean isInteger(RandomAccessibleInterval<?> rai) {
        return rai.getType() instanceof IntegerType;
    }
}

package io.github.nnunetfiji.io.ij;

import ij.ImagePlus;

/** Lets tests in other packages build the same coded hyperstack. */
public final class ImagePlusConverterTestAccess {

    private ImagePlusConverterTestAccess() {
    }

    /** A 16-bit hyperstack whose voxel (c, x, y, z) holds {@code 1000c + 100z + 10y + x}. */
    public static ImagePlus hyperstack16(int w, int h, int nc, int nz) {
        return ImagePlusConverterTest.hyperstack16(w, h, nc, nz);
    }
}

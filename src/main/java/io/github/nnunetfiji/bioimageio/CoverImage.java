package io.github.nnunetfiji.bioimageio;

import java.awt.image.BufferedImage;

/**
 * The model's cover: the test input's first channel (grey, scaled to its range) beside the test
 * output's most probable class per pixel (class 0 black), the middle slice of a 3D tile, each panel
 * enlarged to at least 256 pixels across.
 */
final class CoverImage {

    private static final int[] COLORS = {0x000000, 0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00,
        0xCC79A7, 0xFFFFFF};

    private CoverImage() {
    }

    /**
     * @param shape  the tile's {@code [1, C, (Z,) Y, X]}
     * @param input  the test input
     * @param output the probabilities {@code [1, classes, (Z,) Y, X]}
     */
    static BufferedImage draw(long[] shape, float[] input, float[] output, int classes) {
        int dims = shape.length - 2;
        int w = (int) shape[shape.length - 1];
        int h = (int) shape[shape.length - 2];
        int depth = dims == 3 ? (int) shape[2] : 1;
        int plane = w * h;
        int voxels = plane * depth;
        int offset = (depth / 2) * plane;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < plane; i++) {
            min = Math.min(min, input[offset + i]);
            max = Math.max(max, input[offset + i]);
        }
        int scale = Math.max(1, (256 + w - 1) / w);
        BufferedImage img = new BufferedImage(2 * w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = offset + y * w + x;
                int g = max > min ? Math.round(255 * (input[i] - min) / (max - min)) : 0;
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (output[c * voxels + i] > output[best * voxels + i]) {
                        best = c;
                    }
                }
                int grey = (g << 16) | (g << 8) | g;
                int color = COLORS[Math.min(best, COLORS.length - 1)];
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(x * scale + dx, y * scale + dy, grey);
                        img.setRGB((w + x) * scale + dx, y * scale + dy, color);
                    }
                }
            }
        }
        return img;
    }
}

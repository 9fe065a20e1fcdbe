package io.github.nnunetfiji.train.augment;

/** A case held in memory, read the way the store is read (0 / -1 outside). */
final class ArrayPatchSource implements PatchSource {

    final int[] shape;
    final float[][] image;
    final byte[] labels;

    ArrayPatchSource(int[] shape, float[][] image, byte[] labels) {
        this.shape = shape;
        this.image = image;
        this.labels = labels;
    }

    /** One-hot image of a label map: channel c is 1 where the label is c. */
    static ArrayPatchSource oneHot(int[] shape, byte[] labels, int classes) {
        float[][] img = new float[classes][labels.length];
        for (int i = 0; i < labels.length; i++) {
            img[labels[i]][i] = 1f;
        }
        return new ArrayPatchSource(shape, img, labels);
    }

    @Override
    public int channels() {
        return image.length;
    }

    @Override
    public void readImage(int[] start, int[] size, float[] out) {
        int n = size[0] * size[1] * size[2];
        for (int c = 0; c < image.length; c++) {
            for (int z = 0; z < size[2]; z++) {
                for (int y = 0; y < size[1]; y++) {
                    for (int x = 0; x < size[0]; x++) {
                        int i = index(start[0] + x, start[1] + y, start[2] + z);
                        out[c * n + x + size[0] * (y + size[1] * z)] = i < 0 ? 0f : image[c][i];
                    }
                }
            }
        }
    }

    @Override
    public void readLabels(int[] start, int[] size, byte[] out) {
        for (int z = 0; z < size[2]; z++) {
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    int i = index(start[0] + x, start[1] + y, start[2] + z);
                    out[x + size[0] * (y + size[1] * z)] = i < 0 ? -1 : labels[i];
                }
            }
        }
    }

    private int index(int x, int y, int z) {
        if (x < 0 || y < 0 || z < 0 || x >= shape[0] || y >= shape[1] || z >= shape[2]) {
            return -1;
        }
        return x + shape[0] * (y + shape[1] * z);
    }

    /** Labels made of a few overlapping balls (classes 1 .. classes-1) on background. */
    static byte[] balls(int[] shape, int classes, long seed) {
        java.util.Random r = new java.util.Random(seed);
        byte[] l = new byte[shape[0] * shape[1] * shape[2]];
        for (int b = 0; b < 12; b++) {
            int label = 1 + b % (classes - 1);
            double cx = r.nextDouble() * shape[0];
            double cy = r.nextDouble() * shape[1];
            double cz = r.nextDouble() * shape[2];
            double rad = 2 + r.nextDouble() * Math.max(2, Math.min(shape[0], shape[1]) / 5.0);
            for (int z = 0; z < shape[2]; z++) {
                for (int y = 0; y < shape[1]; y++) {
                    for (int x = 0; x < shape[0]; x++) {
                        double dz = shape[2] == 1 ? 0 : z - cz;
                        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) + dz * dz < rad * rad) {
                            l[x + shape[0] * (y + shape[1] * z)] = (byte) label;
                        }
                    }
                }
            }
        }
        return l;
    }
}

package io.github.nnunetfiji.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

/**
 * A read-only format that exists only in the tests, registered in the test class path's
 * {@code META-INF/services}: shows that a new format is one class. A {@code .vol.txt} file holds
 * the shape {@code nx ny nz}, the spacing {@code sx sy sz}, then the values with x fastest.
 */
public final class TextVolumeFormat implements ImageFormat {

    @Override
    public String name() {
        return "text volume";
    }

    @Override
    public List<String> endings() {
        return List.of(".vol.txt");
    }

    @Override
    public Image read(Path file) throws IOException {
        String[] t = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
        long[] shape = {Long.parseLong(t[0]), Long.parseLong(t[1]), Long.parseLong(t[2])};
        double[] spacing = {Double.parseDouble(t[3]), Double.parseDouble(t[4]), Double.parseDouble(t[5])};
        int n = (int) (shape[0] * shape[1] * shape[2]);
        if (t.length != 6 + n) {
            throw new ImageFileException(file, "holds " + (t.length - 6) + " values, the shape needs " + n);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = Float.parseFloat(t[6 + i]);
        }
        ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(v, shape);
        return Image.of(img, Geometry.ofSpacing(spacing));
    }

    @Override
    public void write(Image image, Path file) {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public boolean canWrite() {
        return false;
    }
}

package io.github.nnunetfiji.io.tiff;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageFormat;

/**
 * TIFF ({@code .tif}, {@code .tiff}) for {@link io.github.nnunetfiji.io.ImageIO}; see {@link TiffIO}.
 * Written files get the unit "mm", the unit of every spacing in this project.
 */
public final class TiffFormat implements ImageFormat {

    @Override
    public String name() {
        return "TIFF";
    }

    @Override
    public List<String> endings() {
        return List.of(".tiff", ".tif");
    }

    @Override
    public Image read(Path file) throws IOException {
        return TiffIO.read(file);
    }

    @Override
    public void write(Image image, Path file) throws IOException {
        TiffIO.write(image, file, "mm");
    }
}

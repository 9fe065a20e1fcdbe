package io.github.nnunetfiji.io.nifti;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageFormat;

/** NIfTI-1 ({@code .nii}, {@code .nii.gz}) for {@link io.github.nnunetfiji.io.ImageIO}; see {@link NiftiIO}. */
public final class NiftiFormat implements ImageFormat {

    @Override
    public String name() {
        return "NIfTI";
    }

    @Override
    public List<String> endings() {
        return List.of(".nii.gz", ".nii");
    }

    @Override
    public Image read(Path file) throws IOException {
        return NiftiIO.read(file);
    }

    @Override
    public void write(Image image, Path file) throws IOException {
        NiftiIO.write(image, file);
    }
}

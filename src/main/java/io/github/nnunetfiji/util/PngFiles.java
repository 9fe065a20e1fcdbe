package io.github.nnunetfiji.util;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Writes pictures as PNG files, atomically and without a display. */
public final class PngFiles {

    private PngFiles() {
    }

    public static void write(Path file, BufferedImage image) throws IOException {
        AtomicFiles.write(file, out -> {
            // A memory cache, not ImageIO's default file cache: that one registers a JVM shutdown hook
            // on first use, which fails ("Shutdown in progress") when a stop signal arrives meanwhile.
            ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
            try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(image);
            } finally {
                writer.dispose();
            }
        });
    }
}

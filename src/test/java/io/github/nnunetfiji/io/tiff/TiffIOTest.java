package io.github.nnunetfiji.io.tiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageFileException;
import io.github.nnunetfiji.io.ij.ImagePlusConverter;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.RealType;

class TiffIOTest {

    @TempDir
    Path tmp;

    @Test
    void multiChannelStackRoundTripKeepsValuesAndSpacing() throws IOException {
        Image img = ImagePlusConverter.toImage(io.github.nnunetfiji.io.ij.ImagePlusConverterTestAccess.hyperstack16(5, 4, 2, 3));
        Path f = tmp.resolve("case.tif");
        TiffIO.write(img, f, "mm");
        Image back = TiffIO.read(f);
        assertArrayEquals(img.shape(), back.shape());
        assertEquals(2, back.channelCount());
        // TIFF stores resolution as a rational: compare spacing with a tolerance.
        assertArrayEquals(img.geometry().spacing(), back.geometry().spacing(), 1e-6);
        for (int c = 0; c < 2; c++) {
            RandomAccess<? extends RealType<?>> a = img.channel(c).randomAccess();
            RandomAccess<? extends RealType<?>> b = back.channel(c).randomAccess();
            for (long[] pos : new long[][] {{0, 0, 0}, {4, 3, 2}, {1, 2, 1}, {3, 0, 2}}) {
                a.setPosition(pos);
                b.setPosition(pos);
                assertEquals(a.get().getRealDouble(), b.get().getRealDouble());
            }
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary file is left behind");
        }
    }

    @Test
    void corruptTiffGivesAnErrorNamingTheFile() throws IOException {
        Path f = tmp.resolve("broken.tif");
        Files.write(f, new byte[] {'I', 'I', 42, 0, 1, 2, 3});
        ImageFileException e = assertThrows(ImageFileException.class, () -> TiffIO.read(f));
        assertTrue(e.getMessage().contains("broken.tif"), e.getMessage());
        assertThrows(ImageFileException.class, () -> TiffIO.read(tmp.resolve("missing.tif")));
    }
}

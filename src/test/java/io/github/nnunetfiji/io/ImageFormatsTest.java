package io.github.nnunetfiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.nifti.NiftiFormat;
import io.github.nnunetfiji.io.tiff.TiffFormat;
import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;

class ImageFormatsTest {

    @TempDir
    Path tmp;

    @Test
    void builtInFormatsComeThroughTheServiceFileWithTheirEndingsLongestFirst() {
        // Main and test class path each hold a service file; their order is the class path's.
        List<Class<?>> types = ImageFormats.all().stream().<Class<?>>map(Object::getClass).toList();
        assertEquals(3, types.size(), types.toString());
        assertTrue(types.indexOf(NiftiFormat.class) >= 0 && types.indexOf(NiftiFormat.class) < types.indexOf(TiffFormat.class),
                types.toString());
        assertTrue(types.contains(TextVolumeFormat.class), types.toString());
        // The built-in endings keep their order; the test format's longer ending comes first.
        assertEquals(List.of(".vol.txt", ".nii.gz", ".tiff", ".nii", ".tif"), ImageIO.FILE_ENDINGS);
        assertEquals(".nii.gz", ImageIO.endingOf(Paths.get("a/case.NII.GZ")));
        assertEquals(".nii", ImageIO.endingOf(Paths.get("case.nii")));
        assertEquals(".tif", ImageIO.endingOf(Paths.get("case.tif")));
        assertNull(ImageIO.endingOf(Paths.get("case.gz")));
        assertInstanceOf(NiftiFormat.class, ImageFormats.forFile(Paths.get("x.nii.gz")));
        assertInstanceOf(TiffFormat.class, ImageFormats.forFile(Paths.get("x.TIFF")));
    }

    @Test
    void aFormatAddedAsOneClassIsPickedByItsEnding() throws IOException {
        Path f = tmp.resolve("case.Vol.Txt");
        Files.writeString(f, "3 2 1\n0.5 2 4\n1 2 3\n4 5 6\n", StandardCharsets.UTF_8);
        assertTrue(ImageIO.isSupported(f));
        assertEquals(".vol.txt", ImageIO.endingOf(f));
        assertInstanceOf(TextVolumeFormat.class, ImageFormats.forFile(f));

        Image img = ImageIO.read(f);
        assertArrayEquals(new long[] {3, 2, 1}, img.shape());
        assertArrayEquals(new double[] {0.5, 2, 4}, img.geometry().spacing(), 0);
        RandomAccess<? extends RealType<?>> ra = img.channel(0).randomAccess();
        ra.setPosition(new long[] {2, 1, 0});
        assertEquals(6, ra.get().getRealDouble());
        ra.setPosition(new long[] {1, 0, 0});
        assertEquals(2, ra.get().getRealDouble());

        // Several channel files go through the same dispatch.
        Path g = tmp.resolve("case_0001.vol.txt");
        Files.writeString(g, "3 2 1 0.5 2 4 7 7 7 7 7 7", StandardCharsets.UTF_8);
        assertEquals(2, ImageIO.readChannels(List.of(f, g)).channelCount());
    }

    @Test
    void aReadOnlyFormatIsRefusedForWritingWithTheWritableFormatsNamed() {
        Image img = Image.of(ArrayImgs.floats(2, 2, 2), Geometry.ofSpacing(1, 1, 1));
        Path out = tmp.resolve("out.vol.txt");
        ImageFileException e = assertThrows(ImageFileException.class, () -> ImageIO.write(img, out));
        assertTrue(e.getMessage().contains("unsupported file type for writing"), e.getMessage());
        assertTrue(e.getMessage().contains("NIfTI (.nii.gz, .nii), TIFF (.tiff, .tif)"), e.getMessage());
        assertFalse(e.getMessage().contains("text volume"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void anUnknownEndingNamesEverySupportedFormat() throws IOException {
        Path f = tmp.resolve("case.png");
        Files.write(f, new byte[] {1, 2, 3});
        assertFalse(ImageIO.isSupported(f));
        assertNull(ImageFormats.forFile(f));
        ImageFileException e = assertThrows(ImageFileException.class, () -> ImageIO.read(f));
        assertEquals(f, e.file());
        for (String named : List.of("unsupported file type; use one of", "NIfTI (.nii.gz, .nii), TIFF (.tiff, .tif)",
                "text volume (.vol.txt)")) {
            assertTrue(e.getMessage().contains(named), e.getMessage());
        }
    }

    @Test
    void writingDispatchesToTheBuiltInFormats() throws IOException {
        Image img = Image.of(ArrayImgs.floats(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2), Geometry.ofSpacing(1, 2, 3));
        for (String name : List.of("a.nii.gz", "a.nii", "a.tif")) {
            Path f = tmp.resolve(name);
            ImageIO.write(img, f);
            Image back = ImageIO.read(f);
            assertArrayEquals(img.shape(), back.shape(), name);
            assertArrayEquals(img.geometry().spacing(), back.geometry().spacing(), 1e-6, name);
            RandomAccess<? extends RealType<?>> ra = back.channel(0).randomAccess();
            ra.setPosition(new long[] {1, 1, 1});
            assertEquals(8, ra.get().getRealDouble(), name);
        }
    }
}

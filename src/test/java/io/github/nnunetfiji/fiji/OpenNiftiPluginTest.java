package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.io.nifti.NiftiIO;
import io.github.nnunetfiji.testutil.TestData;

class OpenNiftiPluginTest {

    @TempDir
    Path tmp;

    @Test
    void opensAOneChannelFileAsCalibratedImage() throws Exception {
        ImagePlus imp = OpenNiftiPlugin.open(TestData.bratsMini().resolve("imagesTr/BRATS_0001_0000.nii.gz"));
        assertEquals(49, imp.getWidth());
        assertEquals(63, imp.getHeight());
        assertEquals(48, imp.getNSlices());
        assertEquals(1, imp.getNChannels());
        assertEquals(3.0, imp.getCalibration().pixelDepth, 1e-6);
        assertEquals("mm", imp.getCalibration().getUnit());
    }

    @Test
    void opensATwoChannel4dFileWithBothChannels() throws Exception {
        // One 4D file holding FLAIR and T1c of a case, as Decathlon data sets store them.
        Image both = ImageIO.readChannels(List.of(TestData.bratsMini().resolve("imagesTr/BRATS_0001_0000.nii.gz"),
                TestData.bratsMini().resolve("imagesTr/BRATS_0001_0001.nii.gz")));
        Path file = tmp.resolve("BRATS_0001.nii.gz");
        ImageIO.write(both, file);
        assertEquals(2, NiftiIO.readHeader(file).channels(), "test setup: a two-channel file");

        ImagePlus imp = OpenNiftiPlugin.open(file);
        assertEquals(2, imp.getNChannels());
        assertEquals(48, imp.getNSlices());
        assertEquals(1, imp.getNFrames());
        assertEquals(49, imp.getWidth());
        assertEquals(63, imp.getHeight());
        assertEquals(3.0, imp.getCalibration().pixelWidth, 1e-6);
        // Each channel holds its own file's voxels.
        int x = 24;
        int y = 30;
        int z = 20;
        for (int c = 0; c < 2; c++) {
            imp.setPosition(c + 1, z + 1, 1);
            float expected = both.channel(c).randomAccess().setPositionAndGet(x, y, z).getRealFloat();
            assertEquals(expected, imp.getProcessor().getf(x, y), 0, "channel " + c);
        }
        imp.setPosition(1, z + 1, 1);
        float flair = imp.getProcessor().getf(x, y);
        imp.setPosition(2, z + 1, 1);
        assertTrue(flair != imp.getProcessor().getf(x, y), "the two channels differ at the probe voxel");
    }

    @Test
    void pluginsConfigNamesExistingPlugins() throws Exception {
        try (var in = getClass().getResourceAsStream("/plugins.config")) {
            String cfg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : cfg.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String cls = line.substring(line.lastIndexOf(',') + 1).trim();
                cls = cls.substring(0, cls.indexOf('('));
                assertTrue(ij.plugin.PlugIn.class.isAssignableFrom(Class.forName(cls)), cls);
            }
        }
        assertTrue(Files.isRegularFile(Path.of("macros/validate_dataset.ijm")));
    }

    /**
     * ImageJ's convention: a menu item that opens a dialog (here the file dialog) ends with "...";
     * the macro line the README shows names the item exactly as the menu does.
     */
    @Test
    void theMenuItemThatAsksForAFileEndsWithAnEllipsis() throws Exception {
        String label;
        try (var in = getClass().getResourceAsStream("/plugins.config")) {
            label = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.contains(OpenNiftiPlugin.class.getName())).map(l -> l.split("\"")[1]).findFirst()
                    .orElseThrow();
        }
        assertEquals("NIfTI (nnU-Net)...", label);
        assertTrue(Files.readString(Path.of("README.md")).contains("run(\"" + label + "\", \"open="), "README macro line");
    }
}

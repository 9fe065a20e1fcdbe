package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import ij.ImagePlus;
import io.github.nnunetfiji.testutil.TestData;

class OpenNiftiPluginTest {

    @Test
    void opensATwoChannelCaseAsCalibratedImage() throws Exception {
        ImagePlus imp = OpenNiftiPlugin.open(TestData.bratsMini().resolve("imagesTr/BRATS_0001_0000.nii.gz"));
        assertEquals(49, imp.getWidth());
        assertEquals(63, imp.getHeight());
        assertEquals(48, imp.getNSlices());
        assertEquals(3.0, imp.getCalibration().pixelDepth, 1e-6);
        assertEquals("mm", imp.getCalibration().getUnit());
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
}

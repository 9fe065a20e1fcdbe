package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.inference.ModelFolders;
import io.github.nnunetfiji.inference.TinyPlans;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.io.ij.ImagePlusConverter;
import io.github.nnunetfiji.testutil.FijiContextExtension;
import net.imglib2.img.array.ArrayImgs;

/** nnU-Net Segment Image and nnU-Net Predict, run headless through CommandService. */
class PredictCommandsTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    /** Segment Image is a DynamicCommand: its own module. */
    private SegmentImageCommand segment(Object... inputs) throws Exception {
        return (SegmentImageCommand) fiji.service(org.scijava.module.ModuleService.class).run(fiji
                .service(CommandService.class).getCommand(SegmentImageCommand.class), true, inputs).get();
    }

    private static Image body(int[] s, double[] spacing) {
        float[] v = new float[s[0] * s[1] * s[2]];
        java.util.Random r = new java.util.Random(2);
        for (int z = 1; z < s[2] - 1; z++) {
            for (int y = 2; y < s[1] - 2; y++) {
                for (int x = 2; x < s[0] - 3; x++) {
                    v[x + s[0] * (y + s[1] * z)] = 1 + (float) r.nextGaussian();
                }
            }
        }
        return Image.of(ArrayImgs.floats(v, s[0], s[1], s[2]), Geometry.ofSpacing(spacing));
    }

    @Test
    void segmentImageAndPredictFolder() throws Exception {
        Path models = tmp.resolve("models");
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(2))) {
            ModelFolders.write(models, TinyPlans.make(1, 2), "3d_fullres", engine, "0");
        }
        ImagePlus imp = ImagePlusConverter.toImagePlus(body(new int[] {25, 19, 7}, new double[] {0.9, 1.2, 2.4}),
                "body", "mm");
        SegmentImageCommand s = segment("image", imp, "modelfolder", models.resolve("3d_fullres").toFile(), "tta", false,
                "threads", 2);
        assertFalse(s.isCanceled(), s.getCancelReason());
        ImagePlus labels = (ImagePlus) s.getOutput("labels");
        assertEquals(8, labels.getBitDepth());
        assertEquals(25, labels.getWidth());
        assertEquals(19, labels.getHeight());
        assertEquals(7, labels.getNSlices());
        assertEquals(0.9, labels.getCalibration().pixelWidth, 1e-12);
        assertEquals(2.4, labels.getCalibration().pixelDepth, 1e-12);
        assertEquals("mm", labels.getCalibration().getUnit());
        assertTrue(labels.getTitle().contains("body") && labels.getTitle().contains("3d_fullres"), labels.getTitle());
        assertTrue(labels.getProcessor().getLut().getRGB(1) != labels.getProcessor().getLut().getRGB(0));

        // A 2-channel image does not fit a 1-channel model: canceled with the reason.
        ImagePlus two = ImagePlusConverter.toImagePlus(new Image(java.util.List.of(
                ArrayImgs.floats(10, 10, 4), ArrayImgs.floats(10, 10, 4)), Geometry.ofSpacing(1, 1, 1)), "two", "mm");
        // The model given as a folder path in the model field, as macros written for the folder form do.
        s = segment("image", two, "model", models.toString(), "tta", false, "threads", 2);
        assertTrue(s.isCanceled());
        assertTrue(s.getCancelReason().contains("2 channel(s) but the model takes 1"), s.getCancelReason());

        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        ImageIO.write(body(new int[] {21, 17, 6}, new double[] {1, 1, 2}), in.resolve("c1_0000.nii.gz"));
        // The model folder given by key modelfolder.
        CommandModule m = fiji.service(CommandService.class).run(PredictCommand.class, true, "input", in.toFile(),
                "output", tmp.resolve("out").toFile(), "modelfolder", models.toFile(), "tta", false, "threads", 2).get();
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertTrue(((String) m.getOutput("report")).contains("c1 -> "), (String) m.getOutput("report"));
        assertTrue(Files.exists(tmp.resolve("out").resolve("c1.nii.gz")));
        assertTrue(Files.exists(tmp.resolve("out").resolve("predictions.json")));
    }
}

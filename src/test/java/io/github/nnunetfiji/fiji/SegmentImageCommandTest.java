package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.inference.FolderPrediction;
import io.github.nnunetfiji.inference.ModelFolders;
import io.github.nnunetfiji.inference.TinyPlans;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.io.ij.ImagePlusConverter;
import io.github.nnunetfiji.io.ij.LabelRois;
import io.github.nnunetfiji.pipeline.SegmentStageTest;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.testutil.TrainedTestModel;
import net.imglib2.Cursor;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * nnU-Net Segment Image run headless through the ModuleService with a model the pipeline trained
 * ({@link TrainedTestModel}): an installed model chosen by name, the same labels as nnU-Net Predict
 * writes for the same image, probabilities whose argmax is the label image, ROIs per class and
 * slice, 16-bit output, and an uncalibrated image refused until its pixel size is given; a
 * two-channel volume (one hyperstack) gets the labels Predict writes for its channel files, pixel for
 * pixel, with postprocessing that changes them.
 */
class SegmentImageCommandTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    private Module segment(Object... inputs) throws Exception {
        Map<String, Object> map = new java.util.HashMap<>();
        for (int i = 0; i < inputs.length; i += 2) {
            map.put((String) inputs[i], inputs[i + 1]);
        }
        return fiji.service(ModuleService.class).run(fiji.service(CommandService.class)
                .getCommand(SegmentImageCommand.class), true, map).get();
    }

    private static ImagePlus isbiImage(String unit) throws Exception {
        Image img = ImageIO.read(TestData.isbiMini().resolve("imagesTr/isbi_000.nii.gz"));
        // Titled as File > Import > NIfTI (nnU-Net)... titles it: the file name.
        return ImagePlusConverter.toImagePlus(img, "isbi_000.nii.gz", unit);
    }

    private static int[] values(Image img) {
        int[] v = new int[Math.toIntExact(img.voxelCount())];
        Cursor<? extends RealType<?>> c = Views.flatIterable(img.channel(0)).cursor();
        for (int i = 0; i < v.length; i++) {
            v[i] = (int) c.next().getRealDouble();
        }
        return v;
    }

    private static int[] values(ImagePlus imp) {
        int[] v = new int[imp.getWidth() * imp.getHeight() * imp.getStackSize()];
        int plane = imp.getWidth() * imp.getHeight();
        for (int z = 0; z < imp.getStackSize(); z++) {
            ImageProcessor ip = imp.getStack().getProcessor(z + 1);
            for (int i = 0; i < plane; i++) {
                v[z * plane + i] = ip.get(i);
            }
        }
        return v;
    }

    @Test
    void segmentsAnImageWithAnInstalledModelAsPredictDoes() throws Exception {
        Path trained = TrainedTestModel.folder();
        TestData.copy(trained, fiji.modelsFolder().resolve("isbi_2d"));
        ImagePlus imp = isbiImage("mm");

        Module m = segment("image", imp, "model", "isbi_2d", "tta", false, "postprocess", false, "threads", 2,
                "rois", true, "probabilities", true);
        SegmentImageCommand cmd = (SegmentImageCommand) m;
        assertFalse(cmd.isCanceled(), cmd.getCancelReason());
        assertEquals(Boolean.TRUE, m.getOutput("success"));
        // The initializer listed the installed models as the choices of the dialog.
        assertEquals(List.of("isbi_2d"), m.getInfo().getInput("model").getChoices());

        ImagePlus labels = (ImagePlus) m.getOutput("labels");
        assertEquals(8, labels.getBitDepth());
        assertEquals(512, labels.getWidth());
        assertEquals(1, labels.getNSlices());
        assertEquals("mm", labels.getCalibration().getUnit());
        assertEquals(1.0, labels.getCalibration().pixelWidth, 1e-12);
        assertTrue(labels.getTitle().startsWith("isbi_000 - nnU-Net ISBI2012EM_mini 2d folds 0"), labels.getTitle());

        // The same labels as nnU-Net Predict writes for the same image and model.
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(TestData.isbiMini().resolve("imagesTr/isbi_000.nii.gz"), in.resolve("isbi_000_0000.nii.gz"));
        CommandModule p = fiji.service(CommandService.class).run(PredictCommand.class, true, "input", in.toFile(),
                "output", tmp.resolve("out").toFile(), "model", trained.toString(), "tta", false, "postprocess", false,
                "threads", 2).get();
        assertFalse(p.isCanceled(), p.getCancelReason());
        int[] predicted = values(ImageIO.read(tmp.resolve("out/isbi_000.nii.gz")));
        int[] segmented = values(labels);
        assertArrayEquals(predicted, segmented);

        // Probabilities: one calibrated float channel per class, summing to 1, their argmax the labels.
        ImagePlus probs = (ImagePlus) m.getOutput("probabilitymaps");
        assertEquals(32, probs.getBitDepth());
        assertEquals(2, probs.getNChannels());
        assertTrue(probs.getTitle().startsWith("isbi_000 - nnU-Net probabilities ISBI2012EM_mini 2d"), probs.getTitle());
        assertEquals("mm", probs.getCalibration().getUnit());
        assertEquals("membrane", probs.getStack().getSliceLabel(probs.getStackIndex(2, 1, 1)));
        float[] p0 = (float[]) probs.getStack().getPixels(probs.getStackIndex(1, 1, 1));
        float[] p1 = (float[]) probs.getStack().getPixels(probs.getStackIndex(2, 1, 1));
        int disagree = 0;
        for (int i = 0; i < p0.length; i++) {
            assertEquals(1.0, p0[i] + p1[i], 1e-4, "probabilities at " + i);
            if (Math.abs(p0[i] - p1[i]) > 1e-5 && (p1[i] > p0[i] ? 1 : 0) != segmented[i]) {
                disagree++;
            }
        }
        assertEquals(0, disagree, "pixels whose label is not the most probable class");

        // ROIs (headless: made, not put into a ROI Manager): one per class present, covering its pixels.
        List<Roi> rois = cmd.classRois();
        long membrane = java.util.Arrays.stream(segmented).filter(v -> v == 1).count();
        assertEquals(membrane > 0 ? 1 : 0, rois.size());
        if (membrane > 0) {
            assertEquals("membrane", rois.get(0).getName());
            assertEquals(membrane, maskPixels(rois.get(0)));
        }

        // 16-bit output, model given as a folder: the same values.
        m = segment("image", imp, "modelfolder", trained.toFile(), "tta", false, "postprocess", false, "threads", 2,
                "bitdepth", SegmentImageCommand.BITS_16);
        assertFalse(((SegmentImageCommand) m).isCanceled(), ((SegmentImageCommand) m).getCancelReason());
        ImagePlus sixteen = (ImagePlus) m.getOutput("labels");
        assertEquals(16, sixteen.getBitDepth());
        assertArrayEquals(segmented, values(sixteen));
        assertNull(m.getOutput("probabilitymaps"));

        // An uncalibrated image is refused with the fix, then segmented at the pixel size given.
        ImagePlus bare = isbiImage(null);
        m = segment("image", bare, "model", "isbi_2d", "tta", false, "threads", 2);
        SegmentImageCommand refused = (SegmentImageCommand) m;
        assertTrue(refused.isCanceled());
        assertTrue(refused.getCancelReason().contains("has no calibration") && refused.getCancelReason().contains(
                "spacing="), refused.getCancelReason());
        assertEquals(Boolean.FALSE, m.getOutput("success"));
        m = segment("image", bare, "model", "isbi_2d", "tta", false, "postprocess", false, "threads", 2, "spacing",
                "1 1");
        assertFalse(((SegmentImageCommand) m).isCanceled(), ((SegmentImageCommand) m).getCancelReason());
        assertArrayEquals(segmented, values((ImagePlus) m.getOutput("labels")));
    }

    @Test
    void aMultiChannelVolumeGetsTheLabelsPredictWritesWithPostprocessing() throws Exception {
        // Two channels on the image's channel axis (a hyperstack, one window), 3D, calibrated.
        Geometry g = Geometry.ofSpacing(0.9, 1.2, 2.3);
        Image volume = SegmentStageTest.twoChannelVolume(new int[] {27, 21, 9}, g);
        Path model;
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(2))) {
            model = ModelFolders.write(tmp.resolve("trained"), TinyPlans.make(2, 3), "3d_fullres", engine, "0");
        }
        new PostprocessingRule("paper", true, new int[] {1, 2}).write(model.resolve(TrainedModel.POSTPROCESSING));
        ImagePlus imp = ImagePlusConverter.toImagePlus(volume, "vol.tif", "mm");
        assertEquals(2, imp.getNChannels());
        assertEquals(9, imp.getNSlices());

        Module m = segment("image", imp, "modelfolder", model.toFile(), "tta", true, "postprocess", true, "threads", 2);
        assertFalse(((SegmentImageCommand) m).isCanceled(), ((SegmentImageCommand) m).getCancelReason());
        ImagePlus labels = (ImagePlus) m.getOutput("labels");
        assertEquals(8, labels.getBitDepth());
        assertEquals(1, labels.getNChannels());
        assertEquals(9, labels.getNSlices());
        assertEquals("mm", labels.getCalibration().getUnit());
        assertArrayEquals(new double[] {0.9, 1.2, 2.3}, new double[] {labels.getCalibration().pixelWidth,
                labels.getCalibration().pixelHeight, labels.getCalibration().pixelDepth}, 1e-12);
        assertTrue(labels.getTitle().startsWith("vol - nnU-Net Tiny 3d_fullres folds 0"), labels.getTitle());
        byte[] reds = new byte[256];
        labels.getProcessor().getLut().getReds(reds);
        byte[] expected = new byte[256];
        SegmentImageCommand.labelLut().getReds(expected);
        assertArrayEquals(expected, reds, "the label lookup table");

        // nnU-Net Predict on the same channels as files: the same labels, pixel for pixel.
        Path in = Files.createDirectories(tmp.resolve("in"));
        ImageIO.write(Image.of(volume.channel(0), g), in.resolve("vol_0000.nii.gz"));
        ImageIO.write(Image.of(volume.channel(1), g), in.resolve("vol_0001.nii.gz"));
        CommandModule p = fiji.service(CommandService.class).run(PredictCommand.class, true, "input", in.toFile(),
                "output", tmp.resolve("out").toFile(), "model", model.toString(), "tta", true, "postprocess", true,
                "threads", 2).get();
        assertFalse(p.isCanceled(), p.getCancelReason());
        assertArrayEquals(values(ImageIO.read(tmp.resolve("out/vol.nii.gz"))), values(labels));
        String report = Files.readString(tmp.resolve("out").resolve(FolderPrediction.REPORT));
        assertFalse(report.contains("\"postprocessing_removed_voxels\": 0"), "the postprocessing changed labels: " + report);
    }

    private static long maskPixels(Roi roi) {
        ImageProcessor mask = roi.getMask();
        if (mask == null) {
            return (long) roi.getBounds().width * roi.getBounds().height;
        }
        long n = 0;
        for (int i = 0; i < mask.getPixelCount(); i++) {
            n += mask.get(i) != 0 ? 1 : 0;
        }
        return n;
    }

    @Test
    void anUnknownModelIsNamedWithTheInstalledOnes() throws Exception {
        ImagePlus imp = isbiImage("mm");
        Module m = segment("image", imp, "model", "nope", "threads", 1);
        SegmentImageCommand cmd = (SegmentImageCommand) m;
        assertTrue(cmd.isCanceled());
        assertTrue(cmd.getCancelReason().contains("No installed model or model folder 'nope'")
                && cmd.getCancelReason().contains("Installed models in " + fiji.modelsFolder() + ": none"),
                cmd.getCancelReason());
        // Nothing installed: the dialog's list says so instead of being empty.
        assertEquals(List.of(ModelCommandSupport.NO_MODEL), m.getInfo().getInput("model").getChoices());
    }

    @Test
    void resultTitlesDropTheImageFileEnding() {
        assertEquals("isbi_003", SegmentImageCommand.baseTitle("isbi_003.nii.gz"));
        assertEquals("isbi_003", SegmentImageCommand.baseTitle("isbi_003.NII.GZ"));
        assertEquals("case 1", SegmentImageCommand.baseTitle("case 1.nii"));
        assertEquals("cells", SegmentImageCommand.baseTitle("cells.tif"));
        assertEquals("cells", SegmentImageCommand.baseTitle("cells.tiff"));
        assertEquals("cells", SegmentImageCommand.baseTitle("cells.ome.tif"));
        assertEquals("blobs", SegmentImageCommand.baseTitle("blobs.gif"));
        assertEquals("v1.2 stack", SegmentImageCommand.baseTitle("v1.2 stack"));
        assertEquals("isbi_000", SegmentImageCommand.baseTitle("isbi_000"));
        assertEquals(".nii", SegmentImageCommand.baseTitle(".nii"));
    }

    @Test
    void pixelSizeFromTextOrCalibration() {
        ImagePlus imp = new ImagePlus("x", new ByteProcessor(4, 4));
        assertNull(SegmentImageCommand.spacingOf(imp, ""));
        assertArrayEquals(new double[] {0.5, 0.5, 2}, SegmentImageCommand.spacingOf(imp, "0.5 0.5 2"));
        assertArrayEquals(new double[] {0.5, 0.25, 1}, SegmentImageCommand.spacingOf(imp, "0.5x0.25"));
        assertThrows(IllegalArgumentException.class, () -> SegmentImageCommand.spacingOf(imp, "0.5"));
        assertThrows(IllegalArgumentException.class, () -> SegmentImageCommand.spacingOf(imp, "1 -1"));
        imp.getCalibration().pixelWidth = 0.3;
        imp.getCalibration().pixelHeight = 0.3;
        imp.getCalibration().setUnit("um");
        assertArrayEquals(new double[] {0.3, 0.3, 1}, SegmentImageCommand.spacingOf(imp, ""));
    }

    @Test
    void roisPerClassAndSliceCoverTheirPixels() {
        // Slice 1: class 1 a 3x2 block and a separate single pixel; class 2 a 2x2 block. Slice 2: class 2 only.
        ImageStack stack = new ImageStack(8, 6);
        ByteProcessor s1 = new ByteProcessor(8, 6);
        s1.setRoi(1, 1, 3, 2);
        s1.setValue(1);
        s1.fill();
        s1.set(7, 5, 1);
        s1.setRoi(5, 0, 2, 2);
        s1.setValue(2);
        s1.fill();
        ByteProcessor s2 = new ByteProcessor(8, 6);
        s2.setRoi(0, 3, 4, 3);
        s2.setValue(2);
        s2.fill();
        stack.addSlice(s1);
        stack.addSlice(s2);
        ImagePlus labels = new ImagePlus("labels", stack);
        labels.setLut(SegmentImageCommand.labelLut());
        TreeMap<Integer, String> names = new TreeMap<>(Map.of(0, "background", 1, "cell", 2, "nucleus"));
        List<Roi> rois = LabelRois.of(labels, names);
        assertEquals(List.of("cell-0001", "nucleus-0001", "nucleus-0002"), rois.stream().map(Roi::getName).toList());
        assertEquals(List.of(1, 1, 2), rois.stream().map(Roi::getPosition).toList());
        assertEquals(List.of(7L, 4L, 12L), rois.stream().map(SegmentImageCommandTest::maskPixels).toList());
        assertFalse(rois.get(0).getStrokeColor().equals(rois.get(1).getStrokeColor()));
        assertThrows(IllegalArgumentException.class, () -> LabelRois.of(new ImagePlus("rgb",
                new ij.process.ColorProcessor(2, 2)), names));
    }
}

package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.inference.models.ModelFolders;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.io.ij.ImagePlusConverter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.LegacyMacroBridge;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.testutil.TrainedTestModel;

/**
 * Every example macro in macros/, run by ImageJ 1's macro interpreter headless and so in batch mode,
 * as Fiji's -macro runs it, with the commands reached by their menu leaf labels and run on a thread
 * of their own as in Fiji ({@link LegacyMacroBridge}). The checks read what a macro wrote, so a macro
 * that saves the wrong image or file fails.
 */
class MacrosTest {

    /** A SciJava Context shared by the tests of this class, and a models folder per test. */
    @RegisterExtension
    static final FijiContextExtension fiji = new FijiContextExtension();

    /** The macros this test runs; a macro added to macros/ without a test here fails {@link #everyMacroIsTested}. */
    private static final List<String> TESTED = List.of("install_model.ijm", "plan_all_datasets.ijm",
            "plan_and_preprocess.ijm", "predict_folder.ijm", "segment_image.ijm", "train_dataset.ijm",
            "validate_dataset.ijm");

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        LegacyMacroBridge.install(fiji.context(), "Plugins>nnU-Net>");
    }

    /**
     * Each macro as the first of a fresh headless ImageJ: a macro run so (as Fiji's -macro does) turns
     * batch mode on and leaves it, its images and the thread's current image behind when it ends.
     */
    @AfterEach
    void forgetMacroImages() {
        BatchModeImages.forget();
    }

    private static void runMacro(String file, String arg) throws IOException {
        runMacroText(Files.readString(Path.of("macros", file)), arg);
    }

    /** As headless Fiji's -macro: ImageJ 1's interpreter, which turns batch mode on without an ImageJ window. */
    private static void runMacroText(String macro, String arg) {
        System.setProperty(NnunetCommand.SUCCESS_PROPERTY, "unset");
        new Interpreter().run(macro, arg);
        assertTrue(Interpreter.isBatchMode(), "headless macros run in batch mode");
    }

    private static String success() {
        return System.getProperty(NnunetCommand.SUCCESS_PROPERTY);
    }

    @Test
    void everyMacroIsTested() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("macros"))) {
            assertEquals(TESTED, s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ijm")).sorted()
                    .toList());
        }
    }

    @Test
    void validateDataset() throws Exception {
        runMacro("validate_dataset.ijm", "dataset=[" + TestData.isbiMini() + "] work=[" + tmp + "]");
        assertEquals("true", success());
        assertTrue(Files.isRegularFile(tmp.resolve("Task100_ISBI2012EM_mini/dataset_summary.json")));

        Path broken = TestData.copy(TestData.isbiMini(), tmp.resolve("broken"));
        Files.delete(broken.resolve("labelsTr/isbi_002.nii.gz"));
        // The macro stops with the command's message (exit), which ends a macro as a cancel does.
        RuntimeException stopped = assertThrows(RuntimeException.class,
                () -> runMacro("validate_dataset.ijm", "dataset=[" + broken + "] work=[" + tmp + "]"));
        assertEquals("Macro canceled", stopped.getMessage());
        assertEquals("false", success());
        assertFalse(Files.exists(tmp.resolve("broken/dataset_summary.json")));
    }

    @Test
    void planAndPreprocess() throws Exception {
        runMacro("plan_and_preprocess.ijm", "dataset=[" + TestData.isbiMini() + "] work=[" + tmp
                + "] configurations=[2d]");
        assertEquals("true", success(), System.getProperty(NnunetCommand.MESSAGE_PROPERTY));
        Path ds = tmp.resolve("Task100_ISBI2012EM_mini");
        String id = Plans.read(ds.resolve("plans.json")).configuration("2d").dataIdentifier();
        try (Stream<Path> s = Files.list(ds.resolve("preprocessed").resolve(id))) {
            assertTrue(s.count() >= 5, "preprocessed cases in " + ds.resolve("preprocessed").resolve(id));
        }
    }

    @Test
    void planAllDatasetsCarriesOnPastFailures() throws Exception {
        Path folder = tmp.resolve("datasets");
        TestData.copy(TestData.isbiMini(), folder.resolve("Task100_ISBI2012EM_mini"));
        Path broken = TestData.copy(TestData.isbiMini(), folder.resolve("Task999_Broken"));
        Files.delete(broken.resolve("labelsTr/isbi_002.nii.gz"));
        Path work = tmp.resolve("work");
        runMacro("plan_all_datasets.ijm", "folder=[" + folder + "] work=[" + work + "]");
        assertTrue(Files.isRegularFile(work.resolve("Task100_ISBI2012EM_mini/plans.json")));
        assertFalse(Files.exists(work.resolve("Task999_Broken/plans.json")));
    }

    @Test
    void installModel() throws Exception {
        Path model = ModelFolders.create(tmp.resolve("m"), "Hippocampus", "fold_0");
        Path zip = tmp.resolve("hippocampus.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip)); Stream<Path> s = Files.walk(model)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                z.putNextEntry(new ZipEntry(model.relativize(p).toString()));
                z.write(Files.readAllBytes(p));
                z.closeEntry();
            }
        }
        runMacro("install_model.ijm", "model=[" + zip + "]");
        // The macro ends with nnU-Net About, which succeeds as well.
        assertEquals("true", success(), System.getProperty(NnunetCommand.MESSAGE_PROPERTY));
        assertEquals(List.of("hippocampus"), new ModelRegistry(fiji.modelsFolder()).names());
    }

    @Test
    void trainDatasetWithABudget() throws Exception {
        // A tiny network and schedule (2 epochs of 3 iterations, capped) so that the budget is never the limit here.
        runMacro("train_dataset.ijm", "dataset=[" + TestData.isbiMini() + "] work=[" + tmp + "] configuration=2d fold=1 "
                + "time_limit=10m overrides=[2d.patch=64x64 2d.batch=2 2d.features=4] epochs=2 iterations=3");
        assertEquals("true", success(), System.getProperty(NnunetCommand.MESSAGE_PROPERTY));
        Path fold = tmp.resolve("Task100_ISBI2012EM_mini/models/2d/fold_1");
        assertTrue(Files.isRegularFile(fold.resolve("inference_model/model.json")));
        assertEquals(3, Files.readAllLines(fold.resolve("training_log.csv")).size(), "header and 2 epochs");
        String state = Files.readString(fold.resolve("checkpoint_final.json"));
        assertTrue(state.contains("\"timeLimitSeconds\": 600.0"), state);
    }

    @Test
    void predictFolder() throws Exception {
        Path model = TrainedTestModel.folder();
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (String c : List.of("isbi_000", "isbi_001")) {
            Files.copy(TestData.isbiMini().resolve("imagesTr/" + c + ".nii.gz"), in.resolve(c + "_0000.nii.gz"));
        }
        runMacro("predict_folder.ijm", "input=[" + in + "] output=[" + tmp.resolve("out") + "] model=[" + model
                + "] tta=false");
        assertEquals("true", success(), System.getProperty(NnunetCommand.MESSAGE_PROPERTY));
        assertTrue(Files.isRegularFile(tmp.resolve("out/predictions.json")));
        for (String c : List.of("isbi_000", "isbi_001")) {
            Image labels = ImageIO.read(tmp.resolve("out").resolve(c + ".nii.gz"));
            assertArrayEquals(ImageIO.read(in.resolve(c + "_0000.nii.gz")).shape(), labels.shape(), c);
            TreeSet<Integer> values = new TreeSet<>();
            for (RealType<?> v : Views.iterable(labels.channel(0))) {
                values.add((int) v.getRealDouble());
            }
            assertLabelValues(values, c);
        }
    }

    /**
     * Segments an image file and saves the labels, headless in batch mode as the README runs it:
     * once as headless Fiji (no image output shown) and once as Fiji with a display (outputs shown on
     * the command's thread). Either way the saved file is the label image, never the input.
     */
    @ParameterizedTest(name = "outputs shown by Fiji: {0}")
    @ValueSource(booleans = {false, true})
    void segmentImageSavesTheLabels(boolean outputsShown) throws Exception {
        TestData.copy(TrainedTestModel.folder(), fiji.modelsFolder().resolve("isbi_2d"));
        Path tif = sectionTif();
        LegacyMacroBridge.showImageOutputs(outputsShown);
        try {
            Path out = tmp.resolve("labels.tif");
            runMacro("segment_image.ijm", "model=isbi_2d image=[" + tif + "] output=[" + out + "] tta=false");
            assertEquals("true", success(), System.getProperty(NnunetCommand.MESSAGE_PROPERTY));
            ImagePlus saved = IJ.openImage(out.toString());
            assertEquals(ImagePlus.GRAY8, saved.getType());
            assertLabelValues(values(saved), out.toString());
            assertArrayEquals(SegmentImageCommand.labelLut().getBytes(), saved.getProcessor().getLut().getBytes(),
                    "the label lookup table");
            assertEquals("mm", saved.getCalibration().getUnit());
            assertEquals(0.5, saved.getCalibration().pixelWidth, 1e-6);
            assertEquals(0.25, saved.getCalibration().pixelHeight, 1e-6);
            // What the macro saved is what the command returns for that image.
            Module m = fiji.service(ModuleService.class).run(fiji.service(CommandService.class)
                    .getCommand(SegmentImageCommand.class), true, "image", IJ.openImage(tif.toString()), "model",
                    "isbi_2d", "tta", false)
                    .get();
            ImagePlus direct = (ImagePlus) m.getOutput("labels");
            assertArrayEquals((byte[]) direct.getProcessor().getPixels(), (byte[]) saved.getProcessor().getPixels());
        } finally {
            LegacyMacroBridge.showImageOutputs(false);
        }
    }

    /**
     * Any macro in batch mode, not only the shipped one: after Segment Image the label image is the
     * current image, and labels and probabilities are the macro's images, once each.
     */
    @ParameterizedTest(name = "outputs shown by Fiji: {0}")
    @ValueSource(booleans = {false, true})
    void segmentImageResultsAreTheMacrosImages(boolean outputsShown) throws Exception {
        TestData.copy(TrainedTestModel.folder(), fiji.modelsFolder().resolve("isbi_2d"));
        Path tif = sectionTif();
        LegacyMacroBridge.showImageOutputs(outputsShown);
        try {
            runMacroText("""
                    setBatchMode(true);
                    open(getArgument());
                    run("nnU-Net Segment Image", "model=isbi_2d tta=false probabilities=true");
                    seen = "" + nImages + "|" + getTitle() + "|" + bitDepth();
                    titles = getList("image.titles");
                    for (i = 0; i < titles.length; i++) seen = seen + "|" + titles[i];
                    call("java.lang.System.setProperty", "nnunet.test.seen", seen);
                    """, tif.toString());
            assertEquals("true", success(), System.getProperty(NnunetCommand.MESSAGE_PROPERTY));
            List<String> seen = List.of(System.getProperty("nnunet.test.seen").split("\\|"));
            String labels = "isbi_002 - nnU-Net ISBI2012EM_mini 2d folds 0";
            String probabilities = "isbi_002 - nnU-Net probabilities ISBI2012EM_mini 2d folds 0";
            assertEquals(List.of("3", labels, "8", "isbi_002.tif", probabilities, labels), seen);
        } finally {
            LegacyMacroBridge.showImageOutputs(false);
            System.clearProperty("nnunet.test.seen");
        }
    }

    /** A Segment Image that reports success but leaves no label image: the macro must not save its input instead. */
    @Test
    void segmentImageNeverSavesItsInput() throws Exception {
        Path tif = sectionTif();
        String command = LegacyMacroBridge.point("nnU-Net Segment Image", SucceedsWithoutImage.class.getName());
        try {
            Path out = tmp.resolve("labels.tif");
            RuntimeException stopped = assertThrows(RuntimeException.class, () -> runMacro("segment_image.ijm",
                    "model=isbi_2d image=[" + tif + "] output=[" + out + "]"));
            assertEquals("Macro canceled", stopped.getMessage());
            assertFalse(Files.exists(out));
        } finally {
            LegacyMacroBridge.point("nnU-Net Segment Image", command);
        }
    }

    /** Stands in for a command that succeeds without making its result the active image. */
    public static class SucceedsWithoutImage implements PlugIn {
        @Override
        public void run(String arg) {
            NnunetCommand.publish(true, "done");
        }
    }

    /** An ISBI section (values 2 to 255) as a calibrated TIFF, 0.5 x 0.25 mm pixels, as a user has it. */
    private Path sectionTif() throws IOException {
        ImagePlus imp = ImagePlusConverter.toImagePlus(ImageIO.read(TestData.isbiMini().resolve("imagesTr/isbi_002.nii.gz")),
                "isbi_002", "mm");
        imp.getCalibration().pixelWidth = 0.5;
        imp.getCalibration().pixelHeight = 0.25;
        Path tif = tmp.resolve("isbi_002.tif");
        assertTrue(new FileSaver(imp).saveAsTiff(tif.toString()));
        return tif;
    }

    /** The model's labels are 0 (background) and 1 (membrane); an EM section has values up to 255. */
    private static void assertLabelValues(TreeSet<Integer> values, String what) {
        assertTrue(Set.of(0, 1).containsAll(values), what + " holds no labels but " + values.size() + " values, "
                + values.first() + " to " + values.last());
    }

    private static TreeSet<Integer> values(ImagePlus imp) {
        TreeSet<Integer> v = new TreeSet<>();
        for (int i = 1; i <= imp.getStackSize(); i++) {
            for (byte b : (byte[]) imp.getStack().getPixels(i)) {
                v.add(b & 0xff);
            }
        }
        return v;
    }
}

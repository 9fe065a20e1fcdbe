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
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.macro.Interpreter;
import io.github.nnunetfiji.inference.models.ModelFolders;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.io.ij.ImagePlusConverter;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.testutil.LegacyMacroBridge;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.testutil.TrainedTestModel;

/**
 * Every example macro in macros/, run by the ImageJ 1 macro interpreter, headless, with the
 * commands reached by their menu leaf labels as in Fiji ({@link LegacyMacroBridge}).
 */
class MacrosTest {

    /** The macros this test runs; a macro added to macros/ without a test here fails {@link #everyMacroIsTested}. */
    private static final List<String> TESTED = List.of("install_model.ijm", "plan_all_datasets.ijm",
            "plan_and_preprocess.ijm", "predict_folder.ijm", "segment_image.ijm", "train_dataset.ijm",
            "validate_dataset.ijm");

    private static Context context;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        context = new Context();
        LegacyMacroBridge.install(context, "Plugins>nnU-Net>");
    }

    @AfterAll
    static void tearDown() {
        context.dispose();
    }

    private static void runMacro(String file, String arg) throws IOException {
        System.setProperty(NnunetCommand.SUCCESS_PROPERTY, "unset");
        new Interpreter().run(Files.readString(Path.of("macros", file)), arg);
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
        System.setProperty(ModelRegistry.MODELS_DIR_PROPERTY, tmp.resolve("models").toString());
        try {
            runMacro("install_model.ijm", "model=[" + zip + "]");
            // The macro ends with nnU-Net About, which succeeds as well.
            assertEquals("true", success(), System.getProperty(NnunetCommand.MESSAGE_PROPERTY));
            assertEquals(List.of("hippocampus"), new ModelRegistry(tmp.resolve("models")).names());
        } finally {
            System.clearProperty(ModelRegistry.MODELS_DIR_PROPERTY);
        }
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
        for (String c : List.of("isbi_000", "isbi_001", "predictions.json")) {
            String f = c.endsWith(".json") ? c : c + ".nii.gz";
            assertTrue(Files.isRegularFile(tmp.resolve("out").resolve(f)), f);
        }
    }

    @Test
    void segmentImage() throws Exception {
        Path model = TrainedTestModel.folder();
        TestData.copy(model, tmp.resolve("models/isbi_2d"));
        ImagePlus imp = ImagePlusConverter.toImagePlus(ImageIO.read(TestData.isbiMini().resolve("imagesTr/isbi_002.nii.gz")),
                "isbi_002", "mm");
        Path tif = tmp.resolve("isbi_002.tif");
        assertTrue(new FileSaver(imp).saveAsTiff(tif.toString()));
        System.setProperty(ModelRegistry.MODELS_DIR_PROPERTY, tmp.resolve("models").toString());
        try {
            Path out = tmp.resolve("labels.tif");
            runMacro("segment_image.ijm", "model=isbi_2d image=[" + tif + "] output=[" + out + "] tta=false");
            assertEquals("true", success(), System.getProperty(NnunetCommand.MESSAGE_PROPERTY));
            ImagePlus labels = IJ.openImage(out.toString());
            assertEquals(512, labels.getWidth());
            assertEquals("mm", labels.getCalibration().getUnit());
            // What the macro saved is what the command returns for that image.
            Module m = context.service(ModuleService.class).run(context.service(CommandService.class)
                    .getCommand(SegmentImageCommand.class), true, "image", imp, "model", "isbi_2d", "tta", false)
                    .get();
            ImagePlus direct = (ImagePlus) m.getOutput("labels");
            assertArrayEquals((byte[]) direct.getProcessor().getPixels(), (byte[]) labels.getProcessor().getPixels());
        } finally {
            System.clearProperty(ModelRegistry.MODELS_DIR_PROPERTY);
        }
    }
}

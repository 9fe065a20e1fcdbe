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

import io.github.nnunetfiji.inference.models.ModelFolders;
import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.TestData;

/** nnU-Net About and nnU-Net Install Model through CommandService, and what macros read back. */
class AboutAndInstallCommandsTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    private CommandModule run(Class<? extends org.scijava.command.Command> type, Object... inputs) throws Exception {
        return fiji.service(CommandService.class).run(type, true, inputs).get();
    }

    @Test
    void installThenAboutListsTheModel() throws Exception {
        Path src = ModelFolders.create(tmp.resolve("work/Task04_Hippocampus/models/2d"), "Hippocampus", "fold_0");
        // A file chooser gives plans.json; it stands for its folder.
        CommandModule m = run(InstallModelCommand.class, "model", src.resolve("plans.json").toFile());
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertEquals(Boolean.TRUE, m.getOutput("success"));
        assertEquals("Task04_Hippocampus_2d", m.getOutput("installed"));
        assertEquals("true", System.getProperty(NnunetCommand.SUCCESS_PROPERTY));
        assertTrue(System.getProperty(NnunetCommand.MESSAGE_PROPERTY).startsWith("Installed model Task04_Hippocampus_2d"));

        CommandModule about = run(AboutCommand.class, "startengine", false);
        assertEquals(Boolean.TRUE, about.getOutput("success"));
        String report = (String) about.getOutput("report");
        assertTrue(report.contains("Models folder: " + fiji.modelsFolder()), report);
        assertTrue(report.contains("Task04_Hippocampus_2d (Hippocampus, 2d 3d_fullres"), report);
        assertEquals(fiji.modelsFolder().toString(), about.getOutput("modelsfolder"));
    }

    /** A model the reference implementation trained is recognized by its folder and converted. */
    @Test
    void installsAModelOfTheReferenceImplementation() throws Exception {
        Path trainer = Path.of("src/test/resources/io/github/nnunetfiji/inference/reference/models/Dataset998_Tiny/"
                + "nnUNetTrainer__nnUNetPlans__3d_fullres");
        CommandModule m = run(InstallModelCommand.class, "model", trainer.resolve("plans.json").toFile());
        assertEquals(Boolean.TRUE, m.getOutput("success"), m.getCancelReason());
        assertEquals("Dataset998_Tiny_3d_fullres", m.getOutput("installed"));
        assertTrue(Files.isRegularFile(fiji.modelsFolder().resolve(
                "Dataset998_Tiny_3d_fullres/fold_0/inference_model/graph.pb")));
        assertTrue(Files.isRegularFile(fiji.modelsFolder().resolve("Dataset998_Tiny_3d_fullres/reference/plans.json")));
    }

    @Test
    void exportThenInstallTheExport() throws Exception {
        Path models = tmp.resolve("work/Task04_Hippocampus/models");
        ModelFolders.create(models.resolve("2d"), "Hippocampus", "fold_0", "fold_1");
        ModelFolders.create(models.resolve("3d_fullres"), "Hippocampus", "fold_0");
        Path zip = tmp.resolve("hippocampus.zip");
        CommandModule export = run(ExportModelCommand.class, "model", models.toFile(), "configurations", "2d",
                "folds", "1", "output", zip.toFile());
        assertEquals(Boolean.TRUE, export.getOutput("success"), export.getCancelReason());
        assertEquals(zip.toString(), export.getOutput("exportfile"));
        assertTrue(((String) export.getOutput("report")).contains("2d (folds 1)"), (String) export.getOutput("report"));

        CommandModule m = run(InstallModelCommand.class, "model", zip.toFile());
        assertEquals(Boolean.TRUE, m.getOutput("success"), m.getCancelReason());
        assertEquals("hippocampus", m.getOutput("installed"));
        assertTrue(Files.isRegularFile(fiji.modelsFolder().resolve("hippocampus/2d/fold_1/inference_model/graph.pb")));

        CommandModule bad = run(ExportModelCommand.class, "model", models.toFile(), "folds", "4", "output",
                tmp.resolve("x.zip").toFile());
        assertEquals(Boolean.FALSE, bad.getOutput("success"));
        assertTrue(((String) bad.getOutput("message")).contains("Fold 4"), (String) bad.getOutput("message"));
        assertFalse(Files.exists(tmp.resolve("x.zip")));
    }

    @Test
    void aboutStartsTheEngineAndNamesItsDevice() throws Exception {
        CommandModule about = run(AboutCommand.class, "startengine", true);
        String report = (String) about.getOutput("report");
        assertEquals(Boolean.TRUE, about.getOutput("enginefound"), report);
        assertTrue(report.contains("Engine: TensorFlow"), report);
        assertTrue(report.contains("CPU") || report.contains("GPU"), report);
        assertTrue(report.contains("Processors: " + Runtime.getRuntime().availableProcessors()), report);
        assertTrue(report.contains("Installed models: none"), report);
    }

    @Test
    void failedInstallReportsFailureToMacros() throws Exception {
        Path bad = Files.writeString(tmp.resolve("model.zip"), "not a zip");
        CommandModule m = run(InstallModelCommand.class, "model", bad.toFile(), "name", "x");
        assertTrue(m.isCanceled());
        assertEquals(Boolean.FALSE, m.getOutput("success"));
        assertTrue(((String) m.getOutput("message")).contains("not a readable zip"), (String) m.getOutput("message"));
        assertEquals("false", System.getProperty(NnunetCommand.SUCCESS_PROPERTY));
        assertFalse(Files.exists(fiji.modelsFolder().resolve("x")));
    }

    @Test
    void datasetStagesReportSuccessAndProblems() throws Exception {
        CommandModule ok = run(ValidateDatasetCommand.class, "dataset", TestData.isbiMini().toFile(), "work",
                tmp.resolve("w").toFile());
        assertEquals(Boolean.TRUE, ok.getOutput("success"));
        assertEquals("Validation finished", ok.getOutput("message"));
        assertEquals("true", System.getProperty(NnunetCommand.SUCCESS_PROPERTY));

        Path ds = TestData.copy(TestData.isbiMini(), tmp.resolve("broken"));
        Files.delete(ds.resolve("labelsTr/isbi_001.nii.gz"));
        CommandModule bad = run(ValidateDatasetCommand.class, "dataset", ds.toFile(), "work", tmp.resolve("w").toFile());
        assertFalse(bad.isCanceled());
        assertEquals(Boolean.FALSE, bad.getOutput("success"));
        assertEquals("false", System.getProperty(NnunetCommand.SUCCESS_PROPERTY));
        assertTrue(System.getProperty(NnunetCommand.MESSAGE_PROPERTY).contains("problems"));
    }
}

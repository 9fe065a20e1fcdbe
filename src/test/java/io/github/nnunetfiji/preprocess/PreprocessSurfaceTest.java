package io.github.nnunetfiji.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import io.github.nnunetfiji.cli.Main;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.fiji.PreprocessCommand;
import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.TestData;

/** The preprocess command line and Fiji command on the bundled BraTS cases with a written plan. */
class PreprocessSurfaceTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    private int cli(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return new Main().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void commandLineNeedsPlansThenPreprocessesAndResumes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String ds = TestData.bratsMini().toString();
        // A missing plan is a missing prerequisite (exit 2), and the hint names the other way out: --work.
        assertEquals(2, cli(out, err, "preprocess", ds, "--work", tmp.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("plan the data set first"), err.toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--work DIR"), err.toString());
        DatasetPreprocessorTest.plans(3.0, 0).write(new WorkFolder(tmp).forDataset("Task01_BrainTumour_mini").plansFile());
        assertEquals(2, cli(out, err, "preprocess", ds, "-c"));
        assertEquals(2, cli(out, err, "preprocess", ds, "-c", "4d", "--work", tmp.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'4d' is not planned; planned: 3d_fullres"), err.toString());
        out.reset();
        assertEquals(0, cli(out, err, "preprocess", ds, "-c", "3d_fullres", "--work", tmp.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("3 preprocessed"), out.toString());
        out.reset();
        assertEquals(0, cli(out, err, "preprocess", ds, "--work", tmp.toString(), "--threads", "1"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("3 reused"), out.toString());
    }

    @Test
    void aBrokenDataSetStopsEveryStageWithExitCode1() throws Exception {
        Path ds = TestData.copy(TestData.bratsMini(), tmp.resolve("Task01_BrainTumour_mini"));
        java.nio.file.Files.delete(ds.resolve("imagesTr/BRATS_0002_0001.nii.gz"));
        for (String stage : List.of("fingerprint", "plan", "preprocess", "plan_and_preprocess")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(1, cli(out, err, stage, ds.toString(), "--work", tmp.resolve("work").toString()), stage);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("BRATS_0002_0001.nii.gz"), stage + ": " + err);
        }
        assertTrue(TestData.isEmptyTree(tmp.resolve("work")));
    }

    @Test
    void fijiCommandPreprocessesHeadless() throws Exception {
        DatasetPreprocessorTest.plans(3.0, 0).write(new WorkFolder(tmp).forDataset("Task01_BrainTumour_mini").plansFile());
        CommandModule m = fiji.service(CommandService.class).run(PreprocessCommand.class, true,
                "dataset", TestData.bratsMini().toFile(), "work", tmp.toFile(), "configurations", "3d_fullres").get();
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertTrue(((String) m.getOutput("report")).contains("3 preprocessed"));
        m = fiji.service(CommandService.class).run(PreprocessCommand.class, true,
                "dataset", TestData.bratsMini().toFile(), "work", tmp.resolve("empty").toFile()).get();
        assertTrue(m.isCanceled());
        assertTrue(m.getCancelReason().contains("nnU-Net Plan"), m.getCancelReason());
    }
}

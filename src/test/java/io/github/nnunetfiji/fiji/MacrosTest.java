package io.github.nnunetfiji.fiji;

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

import ij.macro.Interpreter;
import io.github.nnunetfiji.inference.models.ModelFolders;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.testutil.LegacyMacroBridge;
import io.github.nnunetfiji.testutil.TestData;

/**
 * Every example macro in macros/, run by the ImageJ 1 macro interpreter, headless, with the
 * commands reached by their menu leaf labels as in Fiji ({@link LegacyMacroBridge}).
 */
class MacrosTest {

    /** The macros this test runs; a macro added to macros/ without a test here fails {@link #everyMacroIsTested}. */
    private static final List<String> TESTED = List.of("install_model.ijm", "plan_all_datasets.ijm",
            "plan_and_preprocess.ijm", "validate_dataset.ijm");

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
}

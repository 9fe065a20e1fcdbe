package io.github.nnunetfiji.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.cli.Main;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageIO;

/**
 * predict, postprocess apply and evaluate refuse an output that is one of their inputs (or their
 * inputs' folder) before any work: exit code 2, every input byte for byte as before, nothing
 * written. Before, {@code predict -i DIR -o DIR} with one file per case replaced each image by its
 * segmentation, and {@code evaluate --output} on a reference label file replaced it with JSON.
 */
class OutputsNeverOverwriteInputsTest {

    @TempDir
    Path dir;

    private Path images;
    private byte[] caseA;
    private byte[] caseB;

    @BeforeEach
    void oneFilePerCase() throws IOException {
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(2))) {
            ModelFolders.write(dir.resolve("models"), TinyPlans.make(1, 2), "3d_fullres", engine, "0");
        }
        images = dir.resolve("images");
        Files.createDirectories(images);
        Geometry g = CasePredictorTest.obliqueFlipped(new double[] {0.8, 1.1, 2.5});
        ImageIO.write((Image) CasePredictorTest.bodyWithBall(new int[] {20, 18, 7}, g.spacing(), g)[0],
                images.resolve("a.nii.gz"));
        ImageIO.write((Image) CasePredictorTest.bodyWithBall(new int[] {17, 15, 6}, g.spacing(), g)[0],
                images.resolve("b.nii.gz"));
        caseA = Files.readAllBytes(images.resolve("a.nii.gz"));
        caseB = Files.readAllBytes(images.resolve("b.nii.gz"));
    }

    private String[] run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main().run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    private void assertInputsUntouched() throws IOException {
        assertArrayEquals(caseA, Files.readAllBytes(images.resolve("a.nii.gz")));
        assertArrayEquals(caseB, Files.readAllBytes(images.resolve("b.nii.gz")));
        try (var s = Files.list(images)) {
            assertEquals(2, s.count(), "nothing written into the input folder");
        }
    }

    private String[] predict(String input, String output) {
        return run("predict", "-i", input, "-o", output, "-m", dir.resolve("models").toString(), "--no-tta",
                "--threads", "2");
    }

    @Test
    void predictRefusesTheInputFolderAsOutputHoweverItIsSpelled() throws IOException {
        for (String output : new String[] {images.toString(), images.resolve("../images/.").toString()}) {
            String[] r = predict(images.toString(), output);
            assertEquals("2", r[0], r[1] + r[2]);
            assertTrue(r[2].contains("output folder") && r[2].contains("is an input"), r[2]);
            assertInputsUntouched();
        }
    }

    @Test
    void predictRefusesTheFolderOfAnInputFileAndALinkToIt() throws IOException {
        String[] r = predict(images.resolve("a.nii.gz").toString(), images.toString());
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("the folder of an input"), r[2]);
        Path link = Files.createSymbolicLink(dir.resolve("link"), images);
        r = predict(images.toString(), link.toString());
        assertEquals("2", r[0], r[1] + r[2]);
        assertInputsUntouched();
    }

    @Test
    void predictIntoAnotherFolderStillWorks() throws IOException {
        Path out = images.resolve("labels"); // inside the input folder but not read from
        String[] r = predict(images.toString(), out.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(Files.isRegularFile(out.resolve("a.nii.gz")) && Files.isRegularFile(out.resolve("b.nii.gz")));
        assertArrayEquals(caseA, Files.readAllBytes(images.resolve("a.nii.gz")));
    }

    @Test
    void postprocessAndEvaluateRefuseTheirInputs() throws IOException {
        Path labels = dir.resolve("labels");
        assertEquals("0", predict(images.toString(), labels.toString())[0]);
        byte[] labelA = Files.readAllBytes(labels.resolve("a.nii.gz"));

        String[] r = run("postprocess", "apply", "-i", labels.toString(), "-o", labels.toString(), "-m",
                dir.resolve("models").toString());
        assertEquals("2", r[0], r[1] + r[2]);
        assertArrayEquals(labelA, Files.readAllBytes(labels.resolve("a.nii.gz")));

        Path reference = labels.resolve("a.nii.gz");
        r = run("evaluate", labels.toString(), labels.toString(), "--output", reference.toString());
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("summary file") && r[2].contains("would be replaced"), r[2]);
        assertArrayEquals(labelA, Files.readAllBytes(reference));
        assertFalse(Files.exists(labels.resolve("summary.json")));
    }
}

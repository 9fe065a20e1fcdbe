package io.github.nnunetfiji.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.cli.Main;
import io.github.nnunetfiji.dataset.Problem.Kind;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.testutil.TestData;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Broken variants of the bundled data sets: each must give its specific problem, naming the file,
 * through the command line with exit code 1, and leave the work folder empty.
 */
class BrokenDatasetTest {

    @TempDir
    Path tmp;

    private Path isbi() throws IOException {
        return TestData.copy(TestData.isbiMini(), tmp.resolve("Task100_ISBI2012EM_mini"));
    }

    private Path brats() throws IOException {
        return TestData.copy(TestData.bratsMini(), tmp.resolve("Task01_BrainTumour_mini"));
    }

    /** Runs {@code validate} on the command line and checks the outcome; returns the problems. */
    private List<Problem> expectProblem(Path dataset, Kind kind, String fileNamePart) throws IOException {
        Path work = tmp.resolve("work");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main().run(List.of("validate", dataset.toString(), "--work", work.toString(), "--threads", "2"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String errText = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, "exit code 1 for problems; stderr:\n" + errText);
        assertTrue(errText.contains(fileNamePart), "the problem names " + fileNamePart + ":\n" + errText);
        assertTrue(errText.contains("fix:"), "each problem says how to fix it:\n" + errText);
        assertFalse(errText.contains("Exception"), "in the user's words, not a Java class name:\n" + errText);
        assertTrue(TestData.isEmptyTree(work), "nothing is written for a broken data set");
        ValidationReport report = new DatasetValidator(2).validate(dataset, io.github.nnunetfiji.util.Progress.NONE);
        assertFalse(report.problemsOf(kind).isEmpty(), "expected " + kind + " in:\n" + report.toText());
        assertTrue(report.problemsOf(kind).stream().anyMatch(p -> p.file().toString().contains(fileNamePart)),
                kind + " names " + fileNamePart + ":\n" + report.toText());
        return report.problems();
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String s = Files.readString(file);
        assertTrue(s.contains(from), "test setup: " + file + " contains " + from);
        Files.writeString(file, s.replace(from, to));
    }

    @Test
    void missingLabelFile() throws IOException {
        Path ds = isbi();
        Files.delete(ds.resolve("labelsTr/isbi_002.nii.gz"));
        List<Problem> problems = expectProblem(ds, Kind.MISSING_FILE, "isbi_002.nii.gz");
        // Its image is listed in dataset.json: missing its label, not a file of no case.
        assertTrue(problems.stream().noneMatch(p -> p.kind() == Kind.EXTRA_FILE), problems.toString());
    }

    @Test
    void missingChannelFile() throws IOException {
        Path ds = brats();
        Files.delete(ds.resolve("imagesTr/BRATS_0002_0001.nii.gz"));
        expectProblem(ds, Kind.MISSING_FILE, "BRATS_0002_0001.nii.gz");
    }

    @Test
    void extraImageFile() throws IOException {
        Path ds = isbi();
        Files.copy(ds.resolve("imagesTr/isbi_000.nii.gz"), ds.resolve("imagesTr/stray.nii.gz"));
        expectProblem(ds, Kind.EXTRA_FILE, "stray.nii.gz");
    }

    @Test
    void channelCountDiffersFromDeclaration() throws IOException {
        Path ds = isbi();
        edit(ds.resolve("dataset.json"), "\"0\": \"EM\"", "\"0\": \"EM\", \"1\": \"EM2\"");
        expectProblem(ds, Kind.CHANNEL_COUNT, "isbi_000.nii.gz");
    }

    @Test
    void labelShapeDiffersFromImage() throws IOException {
        Path ds = brats();
        Path label = ds.resolve("labelsTr/BRATS_0001.nii.gz");
        Image img = ImageIO.read(label);
        ImageIO.write(new Image(List.of(Views.zeroMin(Views.interval(img.channel(0), new long[] {0, 0, 0},
                new long[] {40, 50, 30}))), img.geometry()), label);
        expectProblem(ds, Kind.SHAPE_MISMATCH, "BRATS_0001.nii.gz");
    }

    @Test
    void labelSpacingDiffersFromImage() throws IOException {
        Path ds = brats();
        Path label = ds.resolve("labelsTr/BRATS_0003.nii.gz");
        Image img = ImageIO.read(label);
        ImageIO.write(img.withGeometry(img.geometry().withSpacing(new double[] {3, 3, 2.5})), label);
        expectProblem(ds, Kind.SPACING_MISMATCH, "BRATS_0003.nii.gz");
    }

    @Test
    void labelOrientationDiffersFromImage() throws IOException {
        Path ds = brats();
        Path label = ds.resolve("labelsTr/BRATS_0002.nii.gz");
        Image img = ImageIO.read(label);
        Geometry g = img.geometry();
        double[] dir = g.direction();
        dir[0] = -dir[0]; // flip x
        ImageIO.write(img.withGeometry(new Geometry(g.spacing(), g.origin(), dir)), label);
        expectProblem(ds, Kind.ORIENTATION_MISMATCH, "BRATS_0002.nii.gz");
    }

    @Test
    void undeclaredLabelValue() throws IOException {
        Path ds = brats();
        edit(ds.resolve("dataset.json"), ",\n  \"enhancing tumor\": 4", "");
        List<Problem> problems = expectProblem(ds, Kind.UNDECLARED_LABEL, "BRATS_0001.nii.gz");
        assertTrue(problems.get(0).message().contains("[4]"), problems.get(0).message());
    }

    @Test
    void nanIntensities() throws IOException {
        Path ds = brats();
        Path ch = ds.resolve("imagesTr/BRATS_0003_0001.nii.gz");
        Image img = ImageIO.read(ch);
        long[] shape = img.shape();
        ArrayImg<FloatType, FloatArray> copy = ArrayImgs.floats(shape);
        net.imglib2.Cursor<FloatType> c = copy.cursor();
        var src = Views.flatIterable(img.channel(0)).cursor();
        while (c.hasNext()) {
            c.next().setReal(src.next().getRealDouble());
        }
        float[] data = copy.update(null).getCurrentStorageArray();
        Arrays.fill(data, 100, 110, Float.NaN);
        data[5000] = Float.POSITIVE_INFINITY;
        ImageIO.write(Image.of(copy, img.geometry()), ch);
        List<Problem> problems = expectProblem(ds, Kind.NON_FINITE_INTENSITY, "BRATS_0003_0001.nii.gz");
        assertTrue(problems.get(0).message().contains("11 NaN or infinite"), problems.get(0).message());
    }

    @Test
    void emptyDataSet() throws IOException {
        Path ds = tmp.resolve("Empty");
        Files.createDirectories(ds.resolve("imagesTr"));
        Files.createDirectories(ds.resolve("labelsTr"));
        Files.writeString(ds.resolve("dataset.json"),
                "{\"modality\": {\"0\": \"CT\"}, \"labels\": {\"0\": \"background\", \"1\": \"liver\"}, \"training\": []}");
        expectProblem(ds, Kind.EMPTY_DATASET, "Empty");
    }

    @Test
    void pathEscapingTheDataSet() throws IOException {
        Path ds = isbi();
        edit(ds.resolve("dataset.json"), "./imagesTr/isbi_001.nii.gz", "../../etc/isbi_001.nii.gz");
        expectProblem(ds, Kind.PATH_ESCAPES_DATASET, "dataset.json");
    }

    @Test
    void missingDatasetJson() throws IOException {
        Path ds = isbi();
        Files.delete(ds.resolve("dataset.json"));
        expectProblem(ds, Kind.MISSING_DATASET_JSON, "dataset.json");
    }

    @Test
    void malformedDatasetJson() throws IOException {
        Path ds = isbi();
        edit(ds.resolve("dataset.json"), "\"labels\": {", "\"labels\": {{");
        expectProblem(ds, Kind.BAD_DATASET_JSON, "dataset.json");
    }

    @Test
    void valuesOfTheWrongKindInDatasetJsonAreProblems() throws IOException {
        String deep = "[".repeat(100_000) + "\"x\"" + "]".repeat(100_000);
        // Each was an exception escaping the loader: IllegalStateException, InvalidPathException,
        // StackOverflowError, NumberFormatException, UnsupportedOperationException.
        String[][] isbiEdits = {
            {"\"./imagesTr/isbi_000.nii.gz\"", "[]"},
            {"\"./labelsTr/isbi_001.nii.gz\"", "\"./labelsTr/isbi\\u0000001.nii.gz\""},
            {"\"1\": \"membrane\"", "\"1\": " + deep},
            {"\"1\": \"membrane\"", "\"99999999999\": \"membrane\""},
            {"\"numTraining\": 5", "\"numTraining\": " + deep},
        };
        for (String[] e : isbiEdits) {
            Path ds = TestData.copy(TestData.isbiMini(), tmp.resolve("isbi-" + e[1].length() + "-" + e[0].length()));
            edit(ds.resolve("dataset.json"), e[0], e[1]);
            expectProblem(ds, Kind.BAD_DATASET_JSON, "dataset.json");
        }
        Path ds = brats();
        edit(ds.resolve("dataset.json"), "\"file_ending\": \".nii.gz\"", "\"file_ending\": {\"a\": 1}");
        expectProblem(ds, Kind.BAD_DATASET_JSON, "dataset.json");
    }

    @Test
    void corruptImageFile() throws IOException {
        Path ds = isbi();
        Path f = ds.resolve("imagesTr/isbi_003.nii.gz");
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length / 3)); // truncated download
        expectProblem(ds, Kind.UNREADABLE_FILE, "isbi_003.nii.gz");
    }

    @Test
    void fractionalLabelValues() throws IOException {
        Path ds = isbi();
        Path label = ds.resolve("labelsTr/isbi_004.nii.gz");
        ArrayImg<FloatType, FloatArray> lab = ArrayImgs.floats(512, 512, 1);
        lab.randomAccess().setPositionAndGet(7, 7, 0).set(0.5f);
        ImageIO.write(Image.of(lab, Geometry.ofSpacing(1, 1, 1)), label);
        expectProblem(ds, Kind.BAD_LABEL_VALUES, "isbi_004.nii.gz");
    }

    @Test
    void duplicateCase() throws IOException {
        Path ds = isbi();
        edit(ds.resolve("dataset.json"), "\"training\": [", "\"training\": [{\"image\": \"./imagesTr/isbi_000.nii.gz\", "
                + "\"label\": \"./labelsTr/isbi_000.nii.gz\"},");
        expectProblem(ds, Kind.DUPLICATE_CASE, "dataset.json");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        Path ds = brats();
        Files.delete(ds.resolve("labelsTr/BRATS_0001.nii.gz"));
        edit(ds.resolve("dataset.json"), ",\n  \"enhancing tumor\": 4", "");
        Files.copy(ds.resolve("imagesTr/BRATS_0002_0000.nii.gz"), ds.resolve("imagesTr/BRATS_0002_0007.nii.gz"));
        ValidationReport r = new DatasetValidator(2).validate(ds, io.github.nnunetfiji.util.Progress.NONE);
        // BRATS_0001 has no label: its image files become extra, and the other two cases have label 4.
        assertFalse(r.problemsOf(Kind.EXTRA_FILE).isEmpty(), r.toText());
        assertEquals(2, r.problemsOf(Kind.UNDECLARED_LABEL).size(), r.toText());
        assertTrue(r.toText().contains("BRATS_0002_0007.nii.gz"), r.toText());
    }
}

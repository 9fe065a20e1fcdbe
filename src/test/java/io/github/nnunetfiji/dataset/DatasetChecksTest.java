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
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.cli.Main;
import io.github.nnunetfiji.dataset.Problem.Kind;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.view.Views;

/**
 * What validation catches before a later stage fails or silently misreads: label values the
 * preprocessed cases cannot store, single-slice cases in a 3D data set, symbolic links leading out
 * of the data set, and files in its folders that are never read.
 */
class DatasetChecksTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path brats() throws IOException {
        return TestData.copy(TestData.bratsMini(), tmp.resolve("Task01_BrainTumour_mini"));
    }

    private Path isbi() throws IOException {
        return TestData.copy(TestData.isbiMini(), tmp.resolve("Task100_ISBI2012EM_mini"));
    }

    private static ValidationReport validate(Path ds) {
        return new DatasetValidator(2).validate(ds, Progress.NONE);
    }

    @Test
    void aDeclaredLabelAboveTheStorableRangeStopsValidateBeforeAnythingIsWritten() throws IOException {
        Path ds = brats();
        Path json = ds.resolve("dataset.json");
        String s = Files.readString(json);
        assertTrue(s.contains("\"enhancing tumor\": 4"), "test setup");
        Files.writeString(json, s.replace("\"enhancing tumor\": 4", "\"enhancing tumor\": 4,\n  \"vessel\": 300"));

        ValidationReport r = validate(ds);
        List<Problem> p = r.problemsOf(Kind.LABEL_OUT_OF_RANGE);
        assertEquals(1, p.size(), r.toText());
        assertTrue(p.get(0).message().contains("300") && p.get(0).message().contains("" + PreprocessedCase.MAX_LABEL),
                p.get(0).message());
        assertTrue(p.get(0).file().endsWith("dataset.json"));

        Path work = tmp.resolve("work");
        Run v = run("validate", ds.toString(), "--work", work.toString());
        assertEquals(1, v.code(), v.err());
        assertTrue(v.err().contains("label value 300"), v.err());
        // plan_and_preprocess stops at once: no fingerprint or plans are left behind.
        Run all = run("plan_and_preprocess", ds.toString(), "--work", work.toString());
        assertEquals(1, all.code(), all.err());
        assertTrue(TestData.isEmptyTree(work), "nothing written");
        // 127 itself is storable.
        Files.writeString(json, s.replace("\"enhancing tumor\": 4", "\"enhancing tumor\": 4,\n  \"vessel\": 127"));
        assertTrue(validate(ds).problemsOf(Kind.LABEL_OUT_OF_RANGE).isEmpty());
    }

    @Test
    void aSingleSliceCaseInA3dDataSetIsWarned() throws IOException {
        Path ds = brats();
        for (String f : List.of("imagesTr/BRATS_0002_0000.nii.gz", "imagesTr/BRATS_0002_0001.nii.gz",
                "labelsTr/BRATS_0002.nii.gz")) {
            Path file = ds.resolve(f);
            Image img = ImageIO.read(file);
            long[] max = img.shape();
            ImageIO.write(new Image(List.of(Views.zeroMin(Views.interval(img.channel(0), new long[] {0, 0, 20},
                    new long[] {max[0] - 1, max[1] - 1, 20}))), img.geometry()), file);
        }
        ValidationReport r = validate(ds);
        assertTrue(r.isValid(), r.toText());
        List<Problem> w = r.warningsOf(Kind.SINGLE_SLICE_CASE);
        assertEquals(1, w.size(), r.toText());
        assertTrue(w.get(0).message().contains("BRATS_0002"), w.get(0).message());

        Run v = run("validate", ds.toString(), "--work", tmp.resolve("work").toString());
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().contains("BRATS_0002") && v.out().contains("single slice"), v.out());
        // A 2D data set (every case one slice) is not warned.
        assertTrue(validate(TestData.isbiMini()).warningsOf(Kind.SINGLE_SLICE_CASE).isEmpty());
    }

    @Test
    void symbolicLinksLeadingOutOfTheDataSetAreRefusedLikeDotDotPaths() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        // Channel-files form: a label file that is a link to a file outside.
        Path ds = brats();
        Path label = ds.resolve("labelsTr/BRATS_0003.nii.gz");
        Files.move(label, outside.resolve("BRATS_0003.nii.gz"));
        Files.createSymbolicLink(label, outside.resolve("BRATS_0003.nii.gz"));
        ValidationReport r = validate(ds);
        List<Problem> p = r.problemsOf(Kind.PATH_ESCAPES_DATASET);
        assertEquals(1, p.size(), r.toText());
        assertTrue(p.get(0).file().toString().endsWith("BRATS_0003.nii.gz"), p.get(0).toString());
        Path work = tmp.resolve("work");
        Run v = run("validate", ds.toString(), "--work", work.toString());
        assertEquals(1, v.code(), v.err());
        assertTrue(v.err().contains("outside the data set folder"), v.err());
        assertTrue(TestData.isEmptyTree(work));

        // Decathlon form: the listed image is a link to a file outside.
        Path em = isbi();
        Path image = em.resolve("imagesTr/isbi_001.nii.gz");
        Files.move(image, outside.resolve("isbi_001.nii.gz"));
        Files.createSymbolicLink(image, outside.resolve("isbi_001.nii.gz"));
        assertEquals(1, validate(em).problemsOf(Kind.PATH_ESCAPES_DATASET).size(), validate(em).toText());
    }

    @Test
    void symbolicLinksThatStayInsideTheDataSetAreFollowed() throws IOException {
        Path em = isbi();
        Path store = Files.createDirectories(em.resolve("store"));
        Path label = em.resolve("labelsTr/isbi_002.nii.gz");
        Files.move(label, store.resolve("isbi_002.nii.gz"));
        Files.createSymbolicLink(label, label.getParent().relativize(store.resolve("isbi_002.nii.gz")));
        ValidationReport r = validate(em);
        assertTrue(r.isValid(), r.toText());
        assertEquals(5, r.summary().cases());
    }

    @Test
    void filesThatAreNeverReadAreNamedInTheSummary() throws IOException {
        Path em = isbi();
        Files.writeString(em.resolve("imagesTr/notes.txt"), "scanner settings");
        Files.write(em.resolve("imagesTr/.DS_Store"), new byte[] {0, 1, 2});
        Files.writeString(em.resolve("labelsTr/README"), "labels by hand");
        ValidationReport r = validate(em);
        assertTrue(r.isValid(), r.toText());
        assertEquals(3, r.warningsOf(Kind.IGNORED_FILE).size(), r.toText());

        Path work = tmp.resolve("work");
        Run v = run("validate", em.toString(), "--work", work.toString());
        assertEquals(0, v.code(), v.err());
        for (String name : List.of("notes.txt", ".DS_Store", "README")) {
            assertTrue(v.out().contains(name), name + " in:\n" + v.out());
        }
        String json = Files.readString(work.resolve("Task100_ISBI2012EM_mini/dataset_summary.json"));
        assertTrue(json.contains("notes.txt") && json.contains("warnings"), json);
        // A clean data set has no warnings.
        assertFalse(validate(TestData.isbiMini()).toText().contains("warnings:"));
    }
}

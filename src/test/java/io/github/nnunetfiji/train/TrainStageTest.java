package io.github.nnunetfiji.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.nnunetfiji.cli.CliWording;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.engine.CheckpointFile;
import io.github.nnunetfiji.pipeline.PrerequisiteException;
import io.github.nnunetfiji.pipeline.TrainStage;
import io.github.nnunetfiji.train.ModelFolder.Checkpoint;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Progress;

/** The trainer end to end on a tiny network and the bundled ISBI cases. */
class TrainStageTest {

    @TempDir
    Path tmp;

    static TrainStage stage() {
        return new TrainStage();
    }

    static ModelFolder folder(WorkFolder work) {
        return ModelFolder.of(work, "Task100_ISBI2012EM_mini", TrainFixture.CONFIG);
    }

    @Test
    void trainsAFoldAndFillsTheModelFolder() throws Exception {
        WorkFolder work = TrainFixture.work(tmp);
        TrainResult r = stage().run(TrainFixture.request(work, new Fold(0)).build(), Progress.NONE).training();
        ModelFolder f = folder(work);
        Fold fold = new Fold(0);
        assertTrue(r.finished());
        assertEquals(2, r.epochsDone());
        for (Path p : List.of(f.plans(), f.dataset(), f.fingerprint(), f.splits(), f.checkpoint(fold, Checkpoint.FINAL),
                f.trainerState(fold, Checkpoint.FINAL), f.checkpoint(fold, Checkpoint.BEST),
                f.inferenceModel(fold).resolve("model.json"), f.validationSummary(fold))) {
            assertTrue(Files.isRegularFile(p), p + " missing");
        }
        assertFalse(Files.exists(f.checkpoint(fold, Checkpoint.LATEST)), "latest is replaced by final");
        assertEquals(Splits.read(work.forDataset("Task100_ISBI2012EM_mini").root().resolve("splits.json")),
                Splits.read(f.splits()));

        List<String> csv = Files.readAllLines(f.trainingLog(fold));
        assertEquals(3, csv.size(), String.join("\n", csv));
        assertEquals(TrainingLogCsv.header(1), csv.get(0));
        assertTrue(csv.get(1).startsWith("0,") && csv.get(2).startsWith("1,"));

        BufferedImage png = javax.imageio.ImageIO.read(f.progressPlot(fold).toFile());
        assertNotNull(png, "progress.png is a readable image");
        assertTrue(png.getWidth() >= 400 && png.getHeight() >= 200);

        JsonObject summary = JsonParser.parseString(Files.readString(f.validationSummary(fold))).getAsJsonObject();
        Splits.FoldCases cases = Splits.read(f.splits()).cases(fold);
        assertEquals(cases.val().size(), summary.getAsJsonArray("cases").size());
        assertTrue(summary.getAsJsonObject("meanDice").has("1"));
        for (String id : cases.val()) {
            assertTrue(Files.isRegularFile(f.validation(fold).resolve(id + ".nii.gz")), id + " prediction");
        }
    }

    @Test
    void canceledRunResumesExactly() throws Exception {
        WorkFolder straight = TrainFixture.work(tmp.resolve("a"));
        TrainRequest.Builder plain = TrainFixture.request(straight, new Fold(1));
        plain.validateAtEnd(false);
        stage().run(plain.build(), Progress.NONE);

        WorkFolder resumed = TrainFixture.work(tmp.resolve("b"));
        CancelAfter cancel = new CancelAfter(4); // in the middle of the second epoch
        TrainRequest.Builder first = TrainFixture.request(resumed, new Fold(1));
        first.validateAtEnd(false);
        assertThrows(CanceledException.class, () -> stage().run(first.build(), cancel));
        TrainerState s = TrainerState.read(folder(resumed).trainerState(new Fold(1), Checkpoint.LATEST));
        assertEquals(1, s.epoch);
        assertTrue(s.iteration > 0 && s.iteration < 3, "stopped mid-epoch at " + s.iteration);
        TrainRequest.Builder again = TrainFixture.request(resumed, new Fold(1));
        again.continueTraining(true);
        again.validateAtEnd(false);
        stage().run(again.build(), Progress.NONE);

        assertSameWeights(folder(straight).checkpoint(new Fold(1), Checkpoint.FINAL),
                folder(resumed).checkpoint(new Fold(1), Checkpoint.FINAL));
        assertEquals(Files.readAllLines(folder(straight).trainingLog(new Fold(1))).stream().map(TrainStageTest::lossesOnly)
                .toList(), Files.readAllLines(folder(resumed).trainingLog(new Fold(1))).stream()
                        .map(TrainStageTest::lossesOnly).toList());
    }

    @Test
    void finishedRunExtendedByTwoEpochsContinuesItsLog() throws Exception {
        WorkFolder work = TrainFixture.work(tmp);
        Fold fold = new Fold(2);
        TrainRequest.Builder first = TrainFixture.request(work, fold);
        first.validateAtEnd(false);
        stage().run(first.build(), Progress.NONE);
        List<String> before = Files.readAllLines(folder(work).trainingLog(fold));

        TrainRequest.Builder same = TrainFixture.request(work, fold);
        same.continueTraining(true);
        same.validateAtEnd(false); // as the run it continues (with it, --continue would add the validation)
        Map<String, Long> untouched = snapshot(work.root());
        assertEquals(2, stage().run(same.build(), Progress.NONE).training().epochsDone(), "nothing to do");
        assertEquals(untouched, snapshot(work.root()));

        TrainRequest.Builder more = TrainFixture.request(work, fold);
        more.continueTraining(true);
        more.epochs(4);
        more.validateAtEnd(false);
        TrainResult r = stage().run(more.build(), Progress.NONE).training();
        assertEquals(4, r.epochsDone());
        List<String> after = Files.readAllLines(folder(work).trainingLog(fold));
        assertEquals(5, after.size());
        assertEquals(before, after.subList(0, 3), "the first two epochs stay as they were");
        assertTrue(after.get(3).startsWith("2,") && after.get(4).startsWith("3,"));
        TrainerState s = TrainerState.read(folder(work).trainerState(fold, Checkpoint.FINAL));
        assertEquals(4 * 3, s.networkStep);
    }

    @Test
    void extendingABudgetedRunRunsTheEpochsAskedFor() throws Exception {
        WorkFolder work = TrainFixture.work(tmp);
        Fold fold = new Fold(3);
        TrainRequest.Builder first = TrainFixture.request(work, fold);
        first.timeLimit(java.time.Duration.ofMillis(200)); // spent within the first epoch
        first.validateAtEnd(false);
        TrainResult done = stage().run(first.build(), Progress.NONE).training();
        int epochs = done.epochsDone();

        TrainRequest.Builder other = TrainFixture.request(work, fold);
        other.continueTraining(true);
        other.epochs(epochs + 2);
        other.elastic(false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stage().run(other.build(), Progress.NONE));
        assertTrue(e.getMessage().contains("elastic deformation on"), e.getMessage());

        TrainRequest.Builder more = TrainFixture.request(work, fold);
        more.continueTraining(true);
        more.epochs(epochs + 2);
        more.validateAtEnd(false);
        TrainResult r = stage().run(more.build(), Progress.NONE).training();
        assertEquals(epochs + 2, r.epochsDone(), "the spent budget does not cut the extension short");
        assertTrue(TrainerState.read(folder(work).trainerState(fold, Checkpoint.FINAL)).elasticDeformation());
    }

    @Test
    void badRequestsTouchNothing() throws Exception {
        WorkFolder work = TrainFixture.work(tmp.resolve("work"));
        Map<String, Long> before = snapshot(work.root());

        TrainRequest.Builder unknown = TrainFixture.request(work, new Fold(0));
        unknown.configuration("3d_fullres");
        assertMessage(unknown, "not planned");

        Path badSplit = tmp.resolve("splits_final.json");
        Files.writeString(badSplit, "[{\"train\": [\"isbi_000\", \"isbi_999\"], \"val\": [\"isbi_001\"]}]");
        TrainRequest.Builder split = TrainFixture.request(work, new Fold(0));
        split.splitsFile(badSplit);
        assertMessage(split, "isbi_999");

        TrainRequest.Builder zero = TrainFixture.request(work, new Fold(0));
        zero.epochs(0);
        assertMessage(zero, "at least 1");
        assertEquals(before, snapshot(work.root()));

        // Planned but not preprocessed.
        Path ds = work.forDataset("Task100_ISBI2012EM_mini").root();
        try (Stream<Path> s = Files.walk(ds.resolve("preprocessed"))) {
            s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
        Map<String, Long> unprocessed = snapshot(work.root());
        PrerequisiteException missing = assertThrows(PrerequisiteException.class,
                () -> stage().run(TrainFixture.request(work, new Fold(0)).build(), Progress.NONE));
        // The stage names the stage to run; the command line words it as the command.
        String cli = CliWording.of("train").describe(missing);
        assertTrue(missing.getMessage().contains("No preprocessed data") && missing.getMessage().contains(
                "run the preprocess stage (dataset=") && cli.contains("'nnunet preprocess ")
                && cli.contains("Task100_ISBI2012EM_mini -c 2d --work " + work.root() + "'"), missing.getMessage() + "\n" + cli);
        assertEquals(unprocessed, snapshot(work.root()));

        assertThrows(IllegalArgumentException.class, () -> Fold.parse("7"));
        // -1 is how "all" is kept inside; as a user's fold it is no fold (before, it trained fold "all").
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fold.parse("-1")).getMessage()
                .contains("is not 0 .. 4 or all"));
    }

    private static void assertMessage(TrainRequest.Builder r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stage().run(r.build(), Progress.NONE));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    /** Every file and folder with its time, but the runs' lock files (which hold no results). */
    static Map<String, Long> snapshot(Path root) throws Exception {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getParent() != null && p.getParent().getFileName().toString().equals("locks")) {
                    continue;
                }
                m.put(root.relativize(p).toString(), Files.isRegularFile(p) ? Files.getLastModifiedTime(p).toMillis() : -1);
            }
        }
        return m;
    }

    static void assertSameWeights(Path a, Path b) throws Exception {
        CheckpointFile.Contents ca = CheckpointFile.read(a);
        CheckpointFile.Contents cb = CheckpointFile.read(b);
        assertEquals(ca.step, cb.step);
        assertEquals(ca.arrays.keySet(), cb.arrays.keySet());
        for (String name : ca.arrays.keySet()) {
            assertArrayEquals(ca.arrays.get(name).values(), cb.arrays.get(name).values(), name);
        }
    }

    /** The columns that must agree between runs (times differ). */
    static String lossesOnly(String row) {
        String[] c = row.split(",");
        return String.join(",", List.of(c).subList(0, c.length - 3));
    }

    /** Cancels once {@code n} progress reports (iterations) have been made. */
    static final class CancelAfter implements Progress {
        private final int n;
        private int seen;

        CancelAfter(int n) {
            this.n = n;
        }

        @Override
        public void status(String message) {
        }

        @Override
        public void progress(long done, long total) {
            seen++;
        }

        @Override
        public boolean isCanceled() {
            return seen >= n;
        }
    }
}

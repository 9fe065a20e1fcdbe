package io.github.nnunetfiji.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.nnunetfiji.engine.CheckpointFile;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Attacks the whole pipeline on the command line, as a user's shell, a cluster and a full disk
 * would, and prints one table: per stage, kills survived / tried, other faults survived / tried,
 * bad inputs rejected cleanly / tried, and files lost or corrupted (must be 0).
 *
 * <p>A reference runs every stage uninterrupted on the bundled ISBI sections with a tiny 2D network:
 * plan_and_preprocess, a 3-epoch training of fold 0, a prediction. Then each stage is killed at
 * seeded random moments, by SIGKILL or SIGTERM in turn, and run again (a training with
 * {@code --continue}); it survives when the rerun exits 0 and its outputs equal the reference's:
 * preprocessed files and predicted label files byte for byte, a training's final weights value for
 * value and its validation summary's Dice. Other faults: two trainings of one fold at once (the
 * second must be refused with exit code 4, the first must still match), an output folder that
 * turns read-only during a prediction, and a disk that fills (a small tmpfs, where this user may
 * mount one). Bad inputs: requests and data sets a new user gets wrong; rejected cleanly means exit
 * code 1 or 2, a message, no stack trace, nothing written into an input. The data set's files are
 * hashed before and after: a changed or missing input counts as a file lost.
 *
 * <p>Run by {@code bench/fault-suite.sh [TRIALS] [SEED]}; every child is a fresh JVM.
 */
public final class FaultSuite {

    private static final String DS_NAME = "Task100_ISBI2012EM_mini";
    private static final List<String> PLAN = List.of("2d.patch=64x64", "2d.batch=2", "2d.features=4");
    private static final List<String> TRAIN = List.of("--epochs", "3", "--iterations-per-epoch", "15",
            "--validation-iterations", "2", "--threads", "1", "--device", "cpu", "--precision", "float32",
            "--save-every", "0");

    private final Path root;
    private final Path ds;
    private final Random random;
    private final int trials;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    /** One stage's counts. */
    static final class Row {
        int killsTried;
        int killsSurvived;
        int faultsTried;
        int faultsSurvived;
        int badTried;
        int badClean;
        int lost;
    }

    private record Run(int code, String out, double seconds) {
    }

    private FaultSuite(Path root, int trials, long seed) throws IOException {
        this.root = root;
        this.trials = trials;
        this.random = new Random(seed);
        Path repo = Paths.get("").toAbsolutePath();
        this.ds = copy(repo.resolve("test-data").resolve(DS_NAME), root.resolve("data").resolve(DS_NAME));
        for (String s : List.of("preprocess", "train", "predict", "evaluate", "postprocess", "validate")) {
            rows.put(s, new Row());
        }
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 2026;
        Path root = Files.createTempDirectory("nnunet-faults");
        FaultSuite suite = new FaultSuite(root, trials, seed);
        long start = System.nanoTime();
        Map<String, String> before = hashes(suite.ds);
        suite.runAll();
        Map<String, String> after = hashes(suite.ds);
        int inputsChanged = 0;
        for (Map.Entry<String, String> e : before.entrySet()) {
            if (!e.getValue().equals(after.get(e.getKey()))) {
                inputsChanged++;
                suite.notes.add("input changed or lost: " + e.getKey());
            }
        }
        suite.rows.get("validate").lost += inputsChanged;
        suite.print(trials, seed, (System.nanoTime() - start) / 1e9);
        deleteTree(root);
        System.exit(suite.rows.values().stream().mapToInt(r -> r.lost).sum() == 0 ? 0 : 1);
    }

    private void runAll() throws Exception {
        Path ref = root.resolve("reference");
        Run plan = cli(null, "plan", ds, "--work", ref, PLAN);
        check(plan, "reference plan");
        Path prepared = copy(ref, root.resolve("planned"));
        Run pre = cli(null, "preprocess", ds, "--work", ref, "--threads", "1");
        check(pre, "reference preprocess");
        Path preprocessedRef = ref.resolve(DS_NAME).resolve("preprocessed");
        Path trainable = copy(ref, root.resolve("preprocessed-work"));
        Run train = cli(null, "train", ds, "2d", "0", "--work", ref, TRAIN);
        check(train, "reference training");
        Path model = ref.resolve(DS_NAME).resolve("models").resolve("2d");
        Path predRef = root.resolve("pred-reference");
        Run predict = cli(null, "predict", "-i", ds.resolve("imagesTr"), "-o", predRef, "-m", model, "--no-tta",
                "--threads", "1");
        check(predict, "reference prediction");
        notes.add(String.format(Locale.ROOT, "reference: preprocess %.1f s, train %.1f s, predict %.1f s", pre.seconds(),
                train.seconds(), predict.seconds()));

        for (int t = 0; t < trials; t++) {
            boolean term = t % 2 == 1;
            killPreprocess(t, term, prepared, preprocessedRef, pre.seconds());
            killTrain(t, term, trainable, model, train.seconds());
            killPredict(t, term, model, predRef, predict.seconds());
        }
        twoTrainingsAtOnce(trainable, model);
        twoPredictionsIntoOneFolder(model, predRef);
        readOnlyOutputDuringPrediction(model, predRef);
        diskFullDuringPrediction(model, predRef);
        diskFullDuringPreprocessing(prepared, preprocessedRef);
        badInputs(ref, model, predRef);
    }

    // ---- kills ----

    private void killPreprocess(int t, boolean term, Path prepared, Path reference, double seconds) throws Exception {
        Row row = rows.get("preprocess");
        Path work = copy(prepared, root.resolve("pre-" + t));
        double at = kill(cmd("preprocess", ds, "--work", work, "--threads", "1"), seconds, term);
        Run again = cli(null, "preprocess", ds, "--work", work, "--threads", "1");
        row.killsTried++;
        int differing = compareTrees(reference, work.resolve(DS_NAME).resolve("preprocessed"));
        row.lost += differing;
        if (again.code() == 0 && differing == 0 && noTemporaryFiles(work)) {
            row.killsSurvived++;
        } else {
            notes.add(describe("preprocess", t, term, at, again, differing));
        }
        deleteTree(work);
    }

    private void killTrain(int t, boolean term, Path trainable, Path referenceModel, double seconds) throws Exception {
        Row row = rows.get("train");
        Path work = copy(trainable, root.resolve("train-" + t));
        double at = kill(cmd("train", ds, "2d", "0", "--work", work, TRAIN), seconds, term);
        Run again = cli(null, "train", ds, "2d", "0", "--work", work, TRAIN, "--continue");
        row.killsTried++;
        Path model = work.resolve(DS_NAME).resolve("models").resolve("2d");
        int differing = compareModels(referenceModel, model);
        row.lost += differing;
        if (again.code() == 0 && differing == 0 && noTemporaryFiles(work)) {
            row.killsSurvived++;
        } else {
            notes.add(describe("train", t, term, at, again, differing));
        }
        deleteTree(work);
    }

    private void killPredict(int t, boolean term, Path model, Path reference, double seconds) throws Exception {
        Row row = rows.get("predict");
        Path out = root.resolve("pred-" + t);
        List<Object> args = List.of("predict", "-i", ds.resolve("imagesTr"), "-o", out, "-m", model, "--no-tta",
                "--threads", "1");
        double at = kill(cmd(args.toArray()), seconds, term);
        Run again = cli(null, args.toArray());
        row.killsTried++;
        int differing = compareLabels(reference, out);
        row.lost += differing;
        if (again.code() == 0 && differing == 0 && noTemporaryFiles(out)) {
            row.killsSurvived++;
        } else {
            notes.add(describe("predict", t, term, at, again, differing));
        }
        deleteTree(out);
    }

    /** Starts the command, kills it at a seeded moment within its reference duration; returns the moment. */
    private double kill(List<String> command, double seconds, boolean term) throws Exception {
        // JVM start-up is part of the window: kills land before, during and after the first writes.
        double at = random.nextDouble() * Math.max(1, seconds);
        Process p = start(command, root.resolve("killed.txt"));
        if (p.waitFor((long) (at * 1000), TimeUnit.MILLISECONDS)) {
            return at; // finished before the kill: the rerun must still match
        }
        if (term) {
            p.destroy();
        } else {
            p.destroyForcibly();
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            notes.add("a SIGTERM took over 300 s to end the process");
        }
        return at;
    }

    // ---- other faults ----

    private void twoTrainingsAtOnce(Path trainable, Path referenceModel) throws Exception {
        Row row = rows.get("train");
        Path work = copy(trainable, root.resolve("twice"));
        Path log = root.resolve("first.txt");
        Process first = start(cmd("train", ds, "2d", "0", "--work", work, TRAIN), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (first.isAlive() && System.nanoTime() < deadline && !Files.readString(log).contains("epoch 1/")) {
            Thread.sleep(50);
        }
        Run second = cli(null, "train", ds, "2d", "0", "--work", work, TRAIN, "--continue");
        first.waitFor(600, TimeUnit.SECONDS);
        row.faultsTried++;
        int differing = compareModels(referenceModel, work.resolve(DS_NAME).resolve("models").resolve("2d"));
        row.lost += differing;
        if (second.code() == 4 && first.exitValue() == 0 && differing == 0) {
            row.faultsSurvived++;
        } else {
            notes.add("two trainings at once: second exit " + second.code() + ", first exit " + first.exitValue()
                    + ", " + differing + " file(s) differ; " + tail(second.out()));
        }
        deleteTree(work);
    }

    private void twoPredictionsIntoOneFolder(Path model, Path reference) throws Exception {
        Row row = rows.get("predict");
        Path out = root.resolve("two-predictions");
        Path log = root.resolve("first-prediction.txt");
        Process first = start(cmd("predict", "-i", ds.resolve("imagesTr"), "-o", out, "-m", model, "--no-tta",
                "--threads", "1"), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (first.isAlive() && System.nanoTime() < deadline && !Files.readString(log).contains("case 1/")) {
            Thread.sleep(20);
        }
        Run second = cli(null, "predict", "-i", ds.resolve("imagesTr"), "-o", out, "-m", model, "--no-tta", "--threads",
                "1");
        first.waitFor(600, TimeUnit.SECONDS);
        row.faultsTried++;
        int differing = compareLabels(reference, out);
        row.lost += differing;
        if (second.code() == 4 && first.exitValue() == 0 && differing == 0) {
            row.faultsSurvived++;
        } else {
            notes.add("two predictions into one folder: second exit " + second.code() + ", first exit "
                    + first.exitValue() + ", " + differing + " file(s) differ; " + tail(second.out()));
        }
        deleteTree(out);
    }

    /**
     * A work folder on a disk that fills during preprocessing: a clear I/O error, no half-written
     * case counted as done; with room again, the rerun completes every case as the reference's.
     */
    private void diskFullDuringPreprocessing(Path prepared, Path reference) throws Exception {
        Row row = rows.get("preprocess");
        Path mount = Files.createDirectories(root.resolve("small-work"));
        if (!mount(mount, "2500k")) {
            notes.add("full disk (preprocess): skipped (this user may not mount a tmpfs)");
            return;
        }
        try {
            Path work = copy(prepared, mount.resolve("work"));
            Run full = cli(null, "preprocess", ds, "--work", work, "--threads", "1");
            row.faultsTried++;
            boolean clean = full.code() == 3 && full.out().contains("No space left on device")
                    && !full.out().contains("\tat ") && noTemporaryFiles(work);
            new ProcessBuilder("mount", "-o", "remount,size=64m", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
            Run again = cli(null, "preprocess", ds, "--work", work, "--threads", "1");
            int differing = compareTrees(reference, work.resolve(DS_NAME).resolve("preprocessed"));
            row.lost += differing;
            if (clean && again.code() == 0 && differing == 0) {
                row.faultsSurvived++;
            } else {
                notes.add("full disk (preprocess): exit " + full.code() + ", rerun exit " + again.code() + ", "
                        + differing + " file(s) differ; " + tail(full.out()) + " / " + tail(again.out()));
            }
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static boolean mount(Path dir, String size) throws Exception {
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        return m.waitFor(30, TimeUnit.SECONDS) && m.exitValue() == 0;
    }

    private void readOnlyOutputDuringPrediction(Path model, Path reference) throws Exception {
        Row row = rows.get("predict");
        List<String> prefix = unprivileged();
        if (prefix == null) {
            notes.add("read-only folder: skipped (no way to drop root's permission override here)");
            return;
        }
        Path out = Files.createDirectories(root.resolve("ro-out"));
        Path log = root.resolve("ro.txt");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(cmd("predict", "-i", ds.resolve("imagesTr"), "-o", out, "-m", model, "--no-tta", "--threads", "1"));
        Process p = start(command, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (p.isAlive() && System.nanoTime() < deadline && !Files.readString(log).contains("case 2/")) {
            Thread.sleep(20);
        }
        setMode(out, "r-xr-xr-x");
        p.waitFor(300, TimeUnit.SECONDS);
        setMode(out, "rwxr-xr-x");
        String text = Files.readString(log);
        boolean clean = p.exitValue() != 0 && text.contains("cannot write") && !text.contains("\tat ");
        Run again = cli(null, "predict", "-i", ds.resolve("imagesTr"), "-o", out, "-m", model, "--no-tta", "--threads",
                "1");
        row.faultsTried++;
        int differing = compareLabels(reference, out);
        row.lost += differing;
        if (clean && again.code() == 0 && differing == 0 && noTemporaryFiles(out)) {
            row.faultsSurvived++;
        } else {
            notes.add("read-only output folder: exit " + p.exitValue() + ", rerun exit " + again.code() + ", "
                    + differing + " file(s) differ; " + tail(text));
        }
        deleteTree(out);
    }

    private void diskFullDuringPrediction(Path model, Path reference) throws Exception {
        Row row = rows.get("predict");
        Path mount = Files.createDirectories(root.resolve("small-disk"));
        if (!mount(mount, "48k")) {
            notes.add("full disk: skipped (this user may not mount a tmpfs)");
            return;
        }
        try {
            Path out = mount.resolve("out");
            Run full = cli(null, "predict", "-i", ds.resolve("imagesTr"), "-o", out, "-m", model, "--no-tta",
                    "--threads", "1");
            row.faultsTried++;
            boolean clean = full.code() != 0 && full.out().contains("No space left on device")
                    && !full.out().contains("\tat ") && noTemporaryFiles(mount);
            // Whatever landed there is whole: each written file equals the reference's.
            int differing = 0;
            try (Stream<Path> s = Files.list(out)) {
                for (Path f : s.filter(ImageIO::isSupported).toList()) {
                    if (!Files.exists(reference.resolve(f.getFileName()))
                            || !sha(f).equals(sha(reference.resolve(f.getFileName())))) {
                        differing++;
                    }
                }
            } catch (IOException e) {
                // no output folder made: nothing to compare
            }
            row.lost += differing;
            if (clean && differing == 0) {
                row.faultsSurvived++;
            } else {
                notes.add("full disk: exit " + full.code() + ", " + differing + " partial file(s); " + tail(full.out()));
            }
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ---- bad inputs ----

    private void badInputs(Path ref, Path model, Path predictions) throws Exception {
        Path bad = root.resolve("bad");
        Files.createDirectories(bad);
        // Data sets a new user gets wrong, each a copy of the good one with one thing broken.
        Path nan = brokenCopy("nan", d -> {
            Image img = ImageIO.read(d.resolve("imagesTr/isbi_001.nii.gz"));
            ArrayImg<FloatType, FloatArray> f = toFloat(img);
            f.update(null).getCurrentStorageArray()[7] = Float.NaN;
            ImageIO.write(Image.of(f, img.geometry()), d.resolve("imagesTr/isbi_001.nii.gz"));
        });
        Path label = brokenCopy("undeclared-label", d -> {
            Path f = d.resolve("labelsTr/isbi_002.nii.gz");
            Image img = ImageIO.read(f);
            ArrayImg<FloatType, FloatArray> g = toFloat(img);
            g.update(null).getCurrentStorageArray()[3] = 5;
            ImageIO.write(Image.of(g, img.geometry()), f);
        });
        Path truncated = brokenCopy("truncated", d -> {
            Path f = d.resolve("imagesTr/isbi_003.nii.gz");
            byte[] b = Files.readAllBytes(f);
            Files.write(f, java.util.Arrays.copyOf(b, b.length / 2));
        });
        Path missing = brokenCopy("missing-label", d -> Files.delete(d.resolve("labelsTr/isbi_004.nii.gz")));
        Path noJson = brokenCopy("no-dataset-json", d -> Files.delete(d.resolve("dataset.json")));
        Path badJson = brokenCopy("bad-dataset-json", d -> Files.writeString(d.resolve("dataset.json"), "{\"labels\": [}"));
        for (Path d : List.of(nan, label, truncated, missing, noJson, badJson)) {
            bad("validate", "validate", d, "--work", bad.resolve("w"));
        }
        bad("validate", "validate", root.resolve("no-such-folder"));

        Path fresh = bad.resolve("fresh-work");
        bad("preprocess", "preprocess", ds, "--work", fresh);
        bad("preprocess", "preprocess", ds, "--work", ref, "-c", "3d_fullres");
        bad("preprocess", "plan", ds, "--work", fresh, "2d.patch=abc");
        bad("preprocess", "plan_and_preprocess", truncated, "--work", fresh);

        Path binary = bad.resolve("splits.bin");
        Files.write(binary, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, 1, 2});
        Path unknownCase = bad.resolve("splits_unknown.json");
        Files.writeString(unknownCase, "[{\"train\": [\"isbi_000\", \"isbi_999\"], \"val\": [\"isbi_001\"]}]");
        Path trainWork = copy(ref, bad.resolve("train-work"));
        bad("train", "train", ds, "2d", "7", "--work", trainWork);
        bad("train", "train", ds, "2d", "-1", "--work", trainWork);
        bad("train", "train", ds, "3d_fullres", "0", "--work", trainWork);
        bad("train", "train", ds, "2d", "1", "--work", fresh);
        bad("train", "train", ds, "2d", "1", "--work", trainWork, "--splits", binary);
        bad("train", "train", ds, "2d", "1", "--work", trainWork, "--splits", unknownCase);
        bad("train", "train", ds, "2d", "1", "--work", trainWork, "--epochs", "0");
        bad("train", "train", ds, "2d", "1", "--work", trainWork, "--time-limit", "soon");
        bad("train", "train", ds, "2d", "0", "--work", trainWork, TRAIN.subList(0, 2));
        bad("train", "train", ds, "2d", "0", "--work", trainWork, "--continue", "--optimizer", "adam");

        Path images = copy(ds.resolve("imagesTr"), bad.resolve("images"));
        bad("predict", "predict", "-i", images, "-o", images, "-m", model);
        bad("predict", "predict", "-i", images, "-o", bad.resolve("p1"), "-m", bad.resolve("no-model"));
        bad("predict", "predict", "-i", bad.resolve("no-images"), "-o", bad.resolve("p2"), "-m", model);
        bad("predict", "predict", "-i", images, "-o", bad.resolve("p3"), "-m", model, "--step", "2");
        bad("predict", "predict", "-i", images, "-o", bad.resolve("p4"), "-m", model, "-c", "3d_fullres");
        bad("predict", "predict", "-i", truncated.resolve("imagesTr/isbi_003.nii.gz"), "-o", bad.resolve("p5"), "-m",
                model, "--no-tta");

        Path labels = copy(ds.resolve("labelsTr"), bad.resolve("labels"));
        bad("evaluate", "evaluate", predictions, labels, "--output", labels.resolve("isbi_000.nii.gz"));
        bad("evaluate", "evaluate", bad.resolve("no-predictions"), labels);
        bad("evaluate", "evaluate", predictions, labels, "--labels", "one");
        Path otherGrid = copy(predictions, bad.resolve("other-grid"));
        Image p0 = ImageIO.read(otherGrid.resolve("isbi_000.nii.gz"));
        ImageIO.write(Image.of(toFloat(p0), io.github.nnunetfiji.image.Geometry.ofSpacing(2, 2, 1)),
                otherGrid.resolve("isbi_000.nii.gz"));
        bad("evaluate", "evaluate", otherGrid, labels);

        Path rule = bad.resolve("rule.json");
        new PostprocessingRule(PostprocessingRule.CROSS_VALIDATION, false, new int[] {9}).write(rule);
        bad("postprocess", "postprocess", "apply", "-i", labels, "-o", labels, "--rule", rule);
        bad("postprocess", "postprocess", "apply", "-i", labels, "-o", bad.resolve("pp"), "-m", model, "--rule", rule);
        bad("postprocess", "postprocess", "determine", "-m", bad.resolve("no-model"));
        bad("postprocess", "postprocess", "maybe");
    }

    private interface Breaker {
        void breakIt(Path dataset) throws Exception;
    }

    private Path brokenCopy(String name, Breaker b) throws Exception {
        Path d = copy(ds, root.resolve("broken").resolve(name).resolve(DS_NAME));
        b.breakIt(d);
        return d;
    }

    private static ArrayImg<FloatType, FloatArray> toFloat(Image img) {
        long[] shape = img.shape();
        ArrayImg<FloatType, FloatArray> f = net.imglib2.img.array.ArrayImgs.floats(shape);
        net.imglib2.util.ImgUtil.copy(net.imglib2.converter.Converters.convert(img.channel(0),
                (a, b) -> b.setReal(a.getRealDouble()), new FloatType()), f);
        return f;
    }

    /** A bad request: rejected cleanly is exit code 1 or 2 with a message and no stack trace, inputs intact. */
    private void bad(String stage, Object... args) throws Exception {
        Row row = rows.get(stage);
        Map<String, String> before = hashes(ds);
        // Every file the request names (or holds in a folder it names) must stay as it was.
        Map<Path, String> named = new LinkedHashMap<>();
        for (Object a : args) {
            if (a instanceof Path p && Files.exists(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    for (Path f : s.filter(Files::isRegularFile).toList()) {
                        named.put(f, sha(f));
                    }
                }
            }
        }
        Run r = cli(null, args);
        row.badTried++;
        int changed = 0;
        for (Map.Entry<Path, String> e : named.entrySet()) {
            if (!Files.isRegularFile(e.getKey()) || !e.getValue().equals(sha(e.getKey()))) {
                changed++;
            }
        }
        row.lost += changed;
        boolean clean = (r.code() == 1 || r.code() == 2) && !r.out().isBlank() && !r.out().contains("\tat ")
                && !r.out().contains("Exception:") && before.equals(hashes(ds)) && changed == 0;
        if (System.getenv("FAULTS_VERBOSE") != null) {
            notes.add("bad input, exit " + r.code() + (clean ? " (clean): " : " (NOT clean): ")
                    + String.join(" ", strings(args)) + "\n      " + tail(r.out()).lines().reduce((a, b) -> b).orElse(""));
        }
        if (clean) {
            row.badClean++;
        } else {
            notes.add("bad input not rejected cleanly (exit " + r.code() + ", " + changed + " named file(s) changed): "
                    + String.join(" ", strings(args))
                    + "\n      " + tail(r.out()));
        }
    }

    // ---- comparisons ----

    private static int compareTrees(Path a, Path b) throws IOException {
        Map<String, String> x = hashes(a);
        Map<String, String> y = Files.isDirectory(b) ? hashes(b) : Map.of();
        int differing = 0;
        for (Map.Entry<String, String> e : x.entrySet()) {
            if (!e.getValue().equals(y.get(e.getKey()))) {
                differing++;
            }
        }
        return differing;
    }

    private static int compareLabels(Path reference, Path out) throws IOException {
        int differing = 0;
        try (Stream<Path> s = Files.list(reference)) {
            for (Path f : s.filter(ImageIO::isSupported).toList()) {
                Path o = out.resolve(f.getFileName());
                if (!Files.isRegularFile(o) || !sha(f).equals(sha(o))) {
                    differing++;
                }
            }
        }
        return differing;
    }

    /** The final checkpoint's weights and the validation's Dice; each differing one counts as a file. */
    private static int compareModels(Path reference, Path model) throws IOException {
        int differing = 0;
        Path a = reference.resolve("fold_0/checkpoint_final.ckpt");
        Path b = model.resolve("fold_0/checkpoint_final.ckpt");
        if (!Files.isRegularFile(b)) {
            return 1;
        }
        CheckpointFile.Contents ca = CheckpointFile.read(a);
        CheckpointFile.Contents cb = CheckpointFile.read(b);
        if (ca.step != cb.step || !ca.arrays.keySet().equals(cb.arrays.keySet())) {
            differing++;
        } else {
            for (String k : ca.arrays.keySet()) {
                if (!java.util.Arrays.equals(ca.arrays.get(k).values(), cb.arrays.get(k).values())) {
                    differing++;
                    break;
                }
            }
        }
        Path sa = reference.resolve("fold_0/validation/summary.json");
        Path sb = model.resolve("fold_0/validation/summary.json");
        if (!Files.isRegularFile(sb) || !Files.readString(sa).equals(Files.readString(sb))) {
            differing++;
        }
        return differing + compareLabels(reference.resolve("fold_0/validation"), model.resolve("fold_0/validation"));
    }

    private static boolean noTemporaryFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        }
    }

    // ---- processes ----

    private static List<String> cmd(Object... args) {
        List<String> c = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), "io.github.nnunetfiji.cli.Main"));
        c.addAll(strings(args));
        return c;
    }

    private static List<String> strings(Object... args) {
        List<String> out = new ArrayList<>();
        for (Object a : args) {
            if (a instanceof List<?> l) {
                l.forEach(x -> out.add(x.toString()));
            } else {
                out.add(a.toString());
            }
        }
        return out;
    }

    private Process start(List<String> command, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        return pb.start();
    }

    private Run cli(List<String> prefix, Object... args) throws Exception {
        List<String> command = new ArrayList<>(prefix == null ? List.of() : prefix);
        command.addAll(cmd(args));
        Path log = root.resolve("run.txt");
        long t0 = System.nanoTime();
        Process p = start(command, log);
        if (!p.waitFor(900, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            notes.add("hang (over 900 s): " + String.join(" ", strings(args)));
        }
        return new Run(p.exitValue(), Files.readString(log), (System.nanoTime() - t0) / 1e9);
    }

    private static void check(Run r, String what) {
        if (r.code() != 0) {
            throw new IllegalStateException(what + " failed (exit " + r.code() + "):\n" + r.out());
        }
    }

    /** A prefix under which root's permission override is dropped (as ExitCodesTest), or null. */
    private static List<String> unprivileged() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        try {
            Process p = new ProcessBuilder("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all",
                    "true").start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0
                    ? List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all") : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static void setMode(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
    }

    private static String describe(String stage, int t, boolean term, double at, Run again, int differing) {
        return String.format(Locale.ROOT, "%s trial %d (%s at %.2f s): rerun exit %d, %d file(s) differ; %s", stage, t,
                term ? "SIGTERM" : "SIGKILL", at, again.code(), differing, tail(again.out()));
    }

    private static String tail(String text) {
        String t = text.strip();
        return t.length() > 400 ? "..." + t.substring(t.length() - 400) : t;
    }

    // ---- files ----

    private static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), sha(p));
            }
        }
        return m;
    }

    private static String sha(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.createDirectories(q.getParent());
                    Files.copy(p, q);
                }
            }
        }
        return to;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void print(int trials, long seed, double seconds) {
        String cpu = "unknown processor";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // not Linux
        }
        System.out.printf(Locale.ROOT, "Fault suite: %d kill trial(s) per stage, seed %d, %.0f s, %s, %d cores%n", trials,
                seed, seconds, cpu, Runtime.getRuntime().availableProcessors());
        System.out.println("| stage | kills survived / tried | other faults survived / tried | bad inputs rejected cleanly"
                + " / tried | files lost or corrupted |");
        System.out.println("|---|---|---|---|---|");
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %d |%n", e.getKey(), frac(r.killsSurvived, r.killsTried),
                    frac(r.faultsSurvived, r.faultsTried), frac(r.badClean, r.badTried), r.lost);
        }
        for (String n : notes) {
            System.out.println("- " + n);
        }
    }

    private static String frac(int a, int b) {
        return b == 0 ? "-" : a + " / " + b;
    }
}

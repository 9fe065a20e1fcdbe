package io.github.nnunetfiji.inference.reference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A model folder the reference implementation (nnU-Net v2) trained: {@code TRAINER__PLANS__CONFIG}
 * (such as {@code nnUNetTrainer__nnUNetPlans__2d}) holding {@code plans.json}, {@code dataset.json},
 * {@code dataset_fingerprint.json}, {@code fold_K/checkpoint_final.pth} (or {@code checkpoint_best.pth})
 * and, once the reference determined postprocessing on a set of folds,
 * {@code crossval_results_folds_0_1_2_3_4/postprocessing.json}. Found at the top of what a user
 * gives, below a {@code DatasetXXX_Name} folder, or one level further down (the reference's results
 * folder and its {@code nnUNetv2_export_model_to_zip} archives hold {@code DatasetXXX_Name/TRAINER__PLANS__CONFIG/}).
 */
public record ReferenceTrainerFolder(Path folder, String trainer, String plansName, String configuration) {

    public static final String PLANS = "plans.json";
    public static final String DATASET = "dataset.json";
    public static final String FINGERPRINT = "dataset_fingerprint.json";
    public static final String POSTPROCESSING = "postprocessing.json";
    /** The checkpoints a fold is read from, the first present: the reference's predictor takes the final one. */
    public static final List<String> CHECKPOINTS = List.of("checkpoint_final.pth", "checkpoint_best.pth");

    private static final Pattern NAME = Pattern.compile("([^_][^/]*?)__([^/]+?)__([^/_][^/]*)");
    private static final Pattern FOLD = Pattern.compile("fold_(\\d+|all)");
    /** A zip entry that marks a reference model: a trainer folder's plans.json, at any depth. */
    private static final Pattern ZIP_MARK = Pattern.compile("(?:.*/)?" + NAME.pattern() + "/plans\\.json");

    /** The trainer folder {@code folder} names, if its name has the reference's form and it holds plans.json. */
    public static Optional<ReferenceTrainerFolder> of(Path folder) {
        Path name = folder.getFileName();
        return name == null ? Optional.empty() : named(folder, name.toString());
    }

    /**
     * {@code folder} as the trainer folder named {@code name}: a copy of one keeps its files, not
     * always its name.
     */
    public static Optional<ReferenceTrainerFolder> named(Path folder, String name) {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(folder.resolve(PLANS), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Matcher m = NAME.matcher(name);
        return m.matches() ? Optional.of(new ReferenceTrainerFolder(folder, m.group(1), m.group(2), m.group(3)))
                : Optional.empty();
    }

    /**
     * The trainer folders in {@code root}: root itself, or its subfolders, or theirs (two levels
     * down), in the order of their paths; empty if there are none.
     */
    public static List<ReferenceTrainerFolder> find(Path root) throws IOException {
        Optional<ReferenceTrainerFolder> self = of(root);
        if (self.isPresent()) {
            return List.of(self.get());
        }
        List<ReferenceTrainerFolder> found = new ArrayList<>();
        for (int depth = 1; depth <= 2 && found.isEmpty(); depth++) {
            try (Stream<Path> s = Files.walk(root, depth)) {
                for (Path p : s.filter(p -> !p.equals(root)).sorted().toList()) {
                    if (root.relativize(p).getNameCount() == depth) {
                        of(p).ifPresent(found::add);
                    }
                }
            }
        }
        return found;
    }

    /** Whether a folder or zip holds a reference model folder (a zip is judged by its entry names only). */
    public static boolean holdsOne(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            return !find(source).isEmpty();
        }
        if (!Files.isRegularFile(source) || !source.getFileName().toString().toLowerCase().endsWith(".zip")) {
            return false;
        }
        try (ZipFile z = new ZipFile(source.toFile())) {
            return Collections.list(z.entries()).stream().map(ZipEntry::getName)
                    .anyMatch(n -> ZIP_MARK.matcher(n.replace('\\', '/')).matches());
        } catch (IOException e) {
            return false; // not a readable zip: the installer's own checks say why
        }
    }

    /** The data set folder above, {@code DatasetXXX_Name}, if the trainer folder lies in one. */
    public Optional<String> datasetFolderName() {
        Path parent = folder.getParent();
        return parent != null && parent.getFileName() != null && parent.getFileName().toString().startsWith("Dataset")
                ? Optional.of(parent.getFileName().toString()) : Optional.empty();
    }

    /**
     * Each fold's checkpoint by fold name ({@code 0} .. {@code 4}, {@code all}); a fold folder without
     * one is refused, named, and so is a trainer folder without folds.
     */
    public SortedMap<String, Path> checkpoints() throws IOException {
        SortedMap<String, Path> r = new TreeMap<>();
        List<Path> folds;
        try (Stream<Path> s = Files.list(folder)) {
            folds = s.filter(p -> FOLD.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        for (Path fold : folds) {
            Path chosen = CHECKPOINTS.stream().map(fold::resolve).filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new ReferenceModelException("The reference model " + fold + " holds no "
                            + String.join(" or ", CHECKPOINTS) + ": that fold did not finish training, or its "
                            + "checkpoint was not copied. Copy the fold's checkpoint_final.pth into it, or remove the "
                            + "folder " + fold.getFileName() + " to import the other folds."));
            Matcher m = FOLD.matcher(fold.getFileName().toString());
            m.matches();
            r.put(m.group(1), chosen);
        }
        if (r.isEmpty()) {
            throw new ReferenceModelException("The reference model " + folder + " holds no fold_K folder with a "
                    + "checkpoint: train at least one fold (nnUNetv2_train), or give the trained model's folder.");
        }
        return r;
    }

    /**
     * The postprocessing the reference determined on exactly these folds' cross-validation
     * ({@code crossval_results_folds_0_1_2/postprocessing.json}), if it did.
     */
    public Optional<Path> postprocessing(Collection<String> folds) {
        String name = "crossval_results_folds_" + folds.stream().sorted().collect(Collectors.joining("_"));
        Path file = folder.resolve(name).resolve(POSTPROCESSING);
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Optional.of(file) : Optional.empty();
    }

    /** The reference's pickle of the same decision, which holds Python functions and is not read. */
    public Optional<Path> postprocessingPickle(Collection<String> folds) {
        String name = "crossval_results_folds_" + folds.stream().sorted().collect(Collectors.joining("_"));
        Path file = folder.resolve(name).resolve("postprocessing.pkl");
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Optional.of(file) : Optional.empty();
    }
}

package io.github.nnunetfiji.dataset;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.github.nnunetfiji.dataset.DatasetDescription.Form;
import io.github.nnunetfiji.dataset.Problem.Kind;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.util.Json;

/**
 * Loads a data set folder ({@code dataset.json}, {@code imagesTr/}, {@code labelsTr/}, optionally
 * {@code imagesTs/}) and resolves every case's files, choosing by the form of {@code dataset.json}
 * between {@link DecathlonForm} and {@link ChannelFilesForm}. Reads no image data: content checks are
 * {@link DatasetValidator}'s job. Every structural problem is collected, not just the first.
 */
public final class DatasetLoader {

    /**
     * What a scan found: the usable part of the data set (null if nothing is usable), every problem,
     * and warnings (files in the data set's folders that are not read).
     */
    public record Scan(Dataset dataset, List<Problem> problems, List<Problem> warnings) {

        public Scan(Dataset dataset, List<Problem> problems) {
            this(dataset, problems, List.of());
        }
    }

    private DatasetLoader() {
    }

    /**
     * Loads a data set, failing if anything about its structure is wrong.
     *
     * @throws DatasetException listing every problem found
     */
    public static Dataset load(Path folder) throws DatasetException {
        Scan scan = scan(folder);
        if (!scan.problems().isEmpty()) {
            throw new DatasetException(scan.problems());
        }
        return scan.dataset();
    }

    /** Scans a data set folder, collecting problems instead of stopping at the first. */
    public static Scan scan(Path folder) {
        List<Problem> problems = new ArrayList<>();
        Path root = folder.toAbsolutePath().normalize();
        Path json = root.resolve("dataset.json");
        if (!Files.isDirectory(root)) {
            problems.add(new Problem(Kind.MISSING_DATASET_JSON, root, "data set folder not found",
                    "give the folder that holds dataset.json, imagesTr/ and labelsTr/"));
            return new Scan(null, problems);
        }
        if (!Files.isRegularFile(json)) {
            problems.add(new Problem(Kind.MISSING_DATASET_JSON, json, "dataset.json is missing",
                    "add a dataset.json (Decathlon form with modality/labels/training, or channel_names/labels/file_ending)"));
            return new Scan(null, problems);
        }
        JsonObject obj;
        try (Reader r = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            JsonElement e = JsonParser.parseReader(r);
            if (!e.isJsonObject()) {
                throw new JsonParseException("the top level is not a JSON object");
            }
            obj = e.getAsJsonObject();
        } catch (IOException | JsonParseException e) {
            problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "cannot be parsed: " + Json.reason(e),
                    "fix the JSON syntax (a JSON validator, such as Python's json.tool module on dataset.json, shows where)"));
            return new Scan(null, problems);
        }
        DatasetDescription desc = DatasetDescriptionParser.parse(root, json, obj, problems);
        if (desc == null) {
            return new Scan(null, problems);
        }
        List<CaseEntry> cases = desc.form() == Form.DECATHLON
                ? DecathlonForm.cases(root, json, obj, desc, problems)
                : ChannelFilesForm.cases(root, desc, problems);
        if (desc.numTraining() >= 0 && desc.numTraining() != countDeclared(obj, desc, cases)) {
            problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "numTraining is " + desc.numTraining() + " but "
                    + countDeclared(obj, desc, cases) + " training case(s) were found",
                    "set numTraining to the number of training cases, or add the missing cases"));
        }
        cases = refuseLinksLeavingTheFolder(root, cases, problems);
        if (cases.isEmpty()) {
            problems.add(new Problem(Kind.EMPTY_DATASET, root, "the data set has no usable training case",
                    "add cases to imagesTr/ and labelsTr/ (and to the training list of dataset.json)"));
        }
        List<CaseEntry> testCases = refuseLinksLeavingTheFolder(root, testCases(root, desc), problems);
        List<Problem> warnings = new ArrayList<>();
        for (String sub : List.of("imagesTr", "labelsTr", "imagesTs")) {
            warnings.addAll(ignoredEntries(root.resolve(sub)));
        }
        return new Scan(new Dataset(root, desc, cases, testCases), problems, warnings);
    }

    private static int countDeclared(JsonObject obj, DatasetDescription desc, List<CaseEntry> cases) {
        if (desc.form() == Form.DECATHLON && obj.has("training") && obj.get("training").isJsonArray()) {
            return obj.getAsJsonArray("training").size();
        }
        return cases.size();
    }

    /**
     * Drops the cases with a file that is, or lies under, a symbolic link leading outside the data
     * set folder, with a problem for each such file: the data set must be self-contained, exactly as
     * a {@code ../} path in dataset.json is refused. Links that stay inside the folder are fine.
     */
    private static List<CaseEntry> refuseLinksLeavingTheFolder(Path root, List<CaseEntry> cases,
            List<Problem> problems) {
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            return cases;
        }
        List<CaseEntry> kept = new ArrayList<>();
        for (CaseEntry c : cases) {
            boolean inside = true;
            List<Path> files = new ArrayList<>(c.imageFiles());
            if (c.labelFile() != null) {
                files.add(c.labelFile());
            }
            for (Path f : files) {
                Path real;
                try {
                    real = f.toRealPath();
                } catch (IOException e) {
                    continue; // a missing file is reported where it is looked up
                }
                if (!real.startsWith(realRoot)) {
                    problems.add(new Problem(Kind.PATH_ESCAPES_DATASET, f, "is a symbolic link to " + real
                            + ", outside the data set folder", "copy the file into the data set folder (links may "
                            + "only point to files inside it)"));
                    inside = false;
                }
            }
            if (inside) {
                kept.add(c);
            }
        }
        return kept;
    }

    /** Entries of a data set folder that are never read: not image files, hidden files, sub-folders. */
    private static List<Problem> ignoredEntries(Path dir) {
        List<Problem> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        TreeSet<Path> entries = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(entries::add);
        } catch (IOException e) {
            return out;
        }
        String folder = dir.getFileName() + "/";
        for (Path p : entries) {
            String name = p.getFileName().toString();
            String what = Files.isDirectory(p) ? "a folder" : name.startsWith(".") ? "a hidden file"
                    : !ImageIO.isSupported(p) ? "not an image file" : null;
            if (what != null) {
                out.add(new Problem(Kind.IGNORED_FILE, p, what + " in " + folder + "; it is ignored",
                        "nothing to do if it does not belong to the data set; an image must end in "
                                + ImageIO.FILE_ENDINGS + " to be read"));
            }
        }
        return out;
    }

    private static List<CaseEntry> testCases(Path root, DatasetDescription desc) {
        Path imagesTs = root.resolve("imagesTs");
        List<CaseEntry> cases = new ArrayList<>();
        if (!Files.isDirectory(imagesTs)) {
            return cases;
        }
        // Group per-channel files by case id; a file without a _XXXX suffix is a whole (4D) case.
        Map<String, TreeMap<Integer, Path>> byCase = new LinkedHashMap<>();
        for (Path p : DatasetFiles.imageFilesIn(imagesTs)) {
            String ending = ImageIO.endingOf(p);
            String stem = DatasetFiles.stripEnding(p.getFileName().toString(), ending);
            if (desc.channelCount() > 1 || desc.form() == Form.CHANNEL_FILES) {
                if (stem.matches(".*_\\d{4}")) {
                    String id = stem.substring(0, stem.length() - 5);
                    int c = Integer.parseInt(stem.substring(stem.length() - 4));
                    byCase.computeIfAbsent(id, k -> new TreeMap<>()).put(c, p);
                    continue;
                }
            }
            byCase.computeIfAbsent(stem, k -> new TreeMap<>()).put(0, p);
        }
        byCase.forEach((id, files) -> cases.add(new CaseEntry(id, new ArrayList<>(files.values()), null)));
        return cases;
    }

    // ---- file names ----

    /** {@code id_0000.nii.gz} for channel 0, and so on. */
    public static String channelFileName(String id, int channel, String ending) {
        return String.format(java.util.Locale.ROOT, "%s_%04d%s", id, channel, ending);
    }

}

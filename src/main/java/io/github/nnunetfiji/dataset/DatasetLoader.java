package io.github.nnunetfiji.dataset;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.github.nnunetfiji.dataset.DatasetDescription.Form;
import io.github.nnunetfiji.dataset.Problem.Kind;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.io.ImageFormats;
import io.github.nnunetfiji.io.ImageIO;

/**
 * Loads a data set folder ({@code dataset.json}, {@code imagesTr/}, {@code labelsTr/}, optionally
 * {@code imagesTs/}) and resolves every case's files. Reads no image data: content checks are
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
            problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "cannot be parsed: " + e.getMessage(),
                    "fix the JSON syntax (a validator such as 'python3 -m json.tool dataset.json' shows where)"));
            return new Scan(null, problems);
        }
        DatasetDescription desc = parseDescription(root, json, obj, problems);
        if (desc == null) {
            return new Scan(null, problems);
        }
        List<CaseEntry> cases = desc.form() == Form.DECATHLON
                ? decathlonCases(root, json, obj, desc, problems)
                : channelFileCases(root, desc, problems);
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

    // ---- dataset.json ----

    private static DatasetDescription parseDescription(Path root, Path json, JsonObject obj, List<Problem> problems) {
        int before = problems.size();
        Form form;
        JsonObject channels;
        if (obj.has("channel_names") && obj.get("channel_names").isJsonObject()) {
            form = Form.CHANNEL_FILES;
            channels = obj.getAsJsonObject("channel_names");
        } else if (obj.has("modality") && obj.get("modality").isJsonObject()) {
            form = Form.DECATHLON;
            channels = obj.getAsJsonObject("modality");
        } else {
            problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "declares no channels",
                    "add \"modality\": {\"0\": \"CT\"} (Decathlon form) or \"channel_names\": {\"0\": \"CT\"}"));
            return null;
        }
        List<String> channelNames = indexedNames(json, channels, form == Form.DECATHLON ? "modality" : "channel_names",
                problems);

        TreeMap<Integer, String> labels = new TreeMap<>();
        if (!obj.has("labels") || !obj.get("labels").isJsonObject() || obj.getAsJsonObject("labels").size() == 0) {
            problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "declares no labels",
                    "add \"labels\": {\"0\": \"background\", \"1\": \"...\"}"));
        } else {
            parseLabels(json, obj.getAsJsonObject("labels"), labels, problems);
            if (!labels.isEmpty() && !labels.containsKey(0)) {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "labels do not declare value 0 (background)",
                        "add label 0 as \"background\""));
            }
        }

        String ending = null;
        if (form == Form.CHANNEL_FILES) {
            ending = obj.has("file_ending") ? obj.get("file_ending").getAsString() : null;
            if (ending == null || !ImageIO.FILE_ENDINGS.contains(ending.toLowerCase(java.util.Locale.ROOT))) {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "file_ending is "
                        + (ending == null ? "missing" : "'" + ending + "'"),
                        "set \"file_ending\" to one of " + ImageIO.FILE_ENDINGS));
            }
        }
        int numTraining = -1;
        if (obj.has("numTraining")) {
            try {
                numTraining = obj.get("numTraining").getAsInt();
            } catch (RuntimeException e) {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "numTraining is not a number",
                        "set numTraining to the number of training cases"));
            }
        }
        if (problems.size() > before) {
            return null;
        }
        String name = obj.has("name") && obj.get("name").isJsonPrimitive() ? obj.get("name").getAsString()
                : root.getFileName().toString();
        return new DatasetDescription(name, form, channelNames, labels, ending, numTraining);
    }

    private static List<String> indexedNames(Path json, JsonObject map, String key, List<Problem> problems) {
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : map.entrySet()) {
            try {
                byIndex.put(Integer.parseInt(e.getKey().trim()), e.getValue().getAsString());
            } catch (RuntimeException ex) {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, key + " entry \"" + e.getKey()
                        + "\" is not of the form \"index\": \"name\"", "use \"" + key + "\": {\"0\": \"T2\", \"1\": \"ADC\"}"));
            }
        }
        List<String> names = new ArrayList<>();
        int expected = 0;
        for (Map.Entry<Integer, String> e : byIndex.entrySet()) {
            if (e.getKey() != expected) {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, key + " indices must be 0, 1, 2, ... without gaps; found "
                        + byIndex.keySet(), "number the channels from 0"));
                break;
            }
            names.add(e.getValue());
            expected++;
        }
        if (byIndex.isEmpty()) {
            problems.add(new Problem(Kind.BAD_DATASET_JSON, json, key + " is empty", "declare at least one channel"));
        }
        return names;
    }

    /** Labels as value to name (Decathlon) or name to value (channel-files form); the form is told by the keys. */
    private static void parseLabels(Path json, JsonObject map, TreeMap<Integer, String> labels, List<Problem> problems) {
        boolean keysAreValues = map.keySet().stream().allMatch(k -> k.trim().matches("-?\\d+"));
        for (Map.Entry<String, JsonElement> e : map.entrySet()) {
            if (keysAreValues) {
                labels.put(Integer.parseInt(e.getKey().trim()), e.getValue().getAsString());
            } else if (e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()) {
                int v = e.getValue().getAsInt();
                if (labels.containsKey(v)) {
                    problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "label value " + v + " is declared twice ("
                            + labels.get(v) + ", " + e.getKey() + ")", "give every label its own value"));
                }
                labels.put(v, e.getKey());
            } else {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "label \"" + e.getKey() + "\" has value "
                        + e.getValue() + "; region-based labels (lists of values) are not supported",
                        "declare one integer value per label"));
            }
        }
        for (int v : labels.keySet()) {
            if (v < 0) {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "label value " + v + " is negative",
                        "use values 0 (background), 1, 2, ..."));
            } else if (v > LabelImage.MAX_PIPELINE_LABEL) {
                problems.add(new Problem(Kind.LABEL_OUT_OF_RANGE, json, "label value " + v + " (" + labels.get(v)
                        + ") is above " + LabelImage.MAX_PIPELINE_LABEL + ", the largest label the preprocessed cases "
                        + "store (one signed byte per voxel)", "number the labels 0, 1, 2, ... (at most "
                        + LabelImage.MAX_PIPELINE_LABEL + ") in dataset.json and in every label map"));
            }
        }
    }

    // ---- Decathlon form: the training list names the files ----

    private static List<CaseEntry> decathlonCases(Path root, Path json, JsonObject obj, DatasetDescription desc,
            List<Problem> problems) {
        List<CaseEntry> cases = new ArrayList<>();
        if (!obj.has("training") || !obj.get("training").isJsonArray()) {
            problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "has no \"training\" list",
                    "add \"training\": [{\"image\": \"./imagesTr/case.nii.gz\", \"label\": \"./labelsTr/case.nii.gz\"}, ...]"));
            return cases;
        }
        JsonArray training = obj.getAsJsonArray("training");
        Set<String> ids = new HashSet<>();
        Set<Path> usedImages = new HashSet<>();
        Set<Path> usedLabels = new HashSet<>();
        for (int i = 0; i < training.size(); i++) {
            JsonElement el = training.get(i);
            if (!el.isJsonObject() || !el.getAsJsonObject().has("image") || !el.getAsJsonObject().has("label")) {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "training entry " + i + " lacks \"image\" or \"label\"",
                        "give each training entry both paths"));
                continue;
            }
            Path image = resolveInside(root, json, el.getAsJsonObject().get("image").getAsString(), problems);
            Path label = resolveInside(root, json, el.getAsJsonObject().get("label").getAsString(), problems);
            if (image == null || label == null) {
                continue;
            }
            String ending = ImageIO.endingOf(image);
            if (ending == null) {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "training entry " + i + " image " + image.getFileName()
                        + " has an unsupported file type", "use one of " + ImageFormats.describe(false)));
                continue;
            }
            String id = stripEnding(image.getFileName().toString(), ending);
            if (!ids.add(id)) {
                problems.add(new Problem(Kind.DUPLICATE_CASE, json, "case " + id + " is listed twice in \"training\"",
                        "remove the duplicate entry"));
                continue;
            }
            List<Path> imageFiles = imageFilesOf(image, id, ending, desc.channelCount());
            boolean ok = true;
            if (imageFiles == null) {
                problems.add(new Problem(Kind.MISSING_FILE, image, "image of case " + id + " not found (neither this 4D file nor "
                        + id + "_0000" + ending + ", ... per channel)", "add the file or remove the case from dataset.json"));
                ok = false;
            }
            if (!Files.isRegularFile(label)) {
                problems.add(new Problem(Kind.MISSING_FILE, label, "label of case " + id + " not found",
                        "add the label file or remove the case from dataset.json"));
                ok = false;
            }
            if (ok) {
                usedImages.addAll(imageFiles);
                usedLabels.add(label);
                cases.add(new CaseEntry(id, imageFiles, label));
            }
        }
        reportExtraFiles(root.resolve("imagesTr"), usedImages, "image", problems);
        reportExtraFiles(root.resolve("labelsTr"), usedLabels, "label", problems);
        return cases;
    }

    /** The listed 4D file if it exists, else the per-channel files {@code id_0000<ending>}, ..., else null. */
    private static List<Path> imageFilesOf(Path listed, String id, String ending, int channels) {
        if (Files.isRegularFile(listed)) {
            return List.of(listed);
        }
        List<Path> files = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            Path p = listed.resolveSibling(channelFileName(id, c, ending));
            if (!Files.isRegularFile(p)) {
                return null;
            }
            files.add(p);
        }
        return files;
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

    private static Path resolveInside(Path root, Path json, String relative, List<Problem> problems) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            problems.add(new Problem(Kind.PATH_ESCAPES_DATASET, json, "path \"" + relative + "\" points outside the data set folder",
                    "keep every file inside the data set folder and use paths like ./imagesTr/case.nii.gz"));
            return null;
        }
        return p;
    }

    private static void reportExtraFiles(Path dir, Set<Path> used, String what, List<Problem> problems) {
        for (Path p : imageFilesIn(dir)) {
            if (!used.contains(p)) {
                problems.add(new Problem(Kind.EXTRA_FILE, p, what + " file belongs to no training case",
                        "add the case to dataset.json or move the file out of " + dir.getFileName() + "/"));
            }
        }
    }

    // ---- channel-files form: cases are found by file name ----

    private static List<CaseEntry> channelFileCases(Path root, DatasetDescription desc, List<Problem> problems) {
        List<CaseEntry> cases = new ArrayList<>();
        Path imagesTr = root.resolve("imagesTr");
        Path labelsTr = root.resolve("labelsTr");
        String ending = desc.fileEnding();
        if (!Files.isDirectory(labelsTr)) {
            problems.add(new Problem(Kind.MISSING_FILE, labelsTr, "labelsTr/ folder is missing",
                    "put one label file per training case, CASE" + ending + ", into labelsTr/"));
            return cases;
        }
        Set<Path> usedImages = new HashSet<>();
        for (Path label : filesEndingWith(labelsTr, ending)) {
            String id = stripEnding(label.getFileName().toString(), ending);
            List<Path> files = new ArrayList<>();
            for (int c = 0; c < desc.channelCount(); c++) {
                Path p = imagesTr.resolve(channelFileName(id, c, ending));
                if (!Files.isRegularFile(p)) {
                    problems.add(new Problem(Kind.MISSING_FILE, p, "channel " + c + " (" + desc.channelNames().get(c)
                            + ") of case " + id + " not found", "add the file, or remove " + label.getFileName() + " from labelsTr/"));
                }
                files.add(p);
            }
            usedImages.addAll(files);
            if (files.stream().allMatch(Files::isRegularFile)) {
                cases.add(new CaseEntry(id, files, label));
            }
        }
        for (Path p : imageFilesIn(imagesTr)) {
            if (!usedImages.contains(p)) {
                problems.add(new Problem(Kind.EXTRA_FILE, p, "image file matches no label in labelsTr/ (or its channel number is not in "
                        + "channel_names)", "add the label file, declare the channel, or move the file out of imagesTr/"));
            }
        }
        for (Path p : imageFilesIn(labelsTr)) {
            if (!p.getFileName().toString().endsWith(ending)) {
                problems.add(new Problem(Kind.EXTRA_FILE, p, "label file does not end with the declared file_ending " + ending,
                        "convert it to " + ending + " or change file_ending"));
            }
        }
        return cases;
    }

    private static List<CaseEntry> testCases(Path root, DatasetDescription desc) {
        Path imagesTs = root.resolve("imagesTs");
        List<CaseEntry> cases = new ArrayList<>();
        if (!Files.isDirectory(imagesTs)) {
            return cases;
        }
        // Group per-channel files by case id; a file without a _XXXX suffix is a whole (4D) case.
        Map<String, TreeMap<Integer, Path>> byCase = new LinkedHashMap<>();
        for (Path p : imageFilesIn(imagesTs)) {
            String ending = ImageIO.endingOf(p);
            String stem = stripEnding(p.getFileName().toString(), ending);
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

    private static String stripEnding(String fileName, String ending) {
        return fileName.substring(0, fileName.length() - ending.length());
    }

    private static List<Path> filesEndingWith(Path dir, String ending) {
        List<Path> out = new ArrayList<>();
        for (Path p : imageFilesIn(dir)) {
            if (p.getFileName().toString().endsWith(ending)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Image files (by ending) directly in a folder, sorted by name; hidden files are ignored. */
    private static List<Path> imageFilesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        TreeSet<Path> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(ImageIO::isSupported)
                    .forEach(p -> files.add(p.toAbsolutePath().normalize()));
        } catch (IOException e) {
            return List.of();
        }
        return new ArrayList<>(files);
    }
}

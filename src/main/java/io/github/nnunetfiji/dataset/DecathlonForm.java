package io.github.nnunetfiji.dataset;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.nnunetfiji.dataset.Problem.Kind;
import io.github.nnunetfiji.io.ImageFormats;
import io.github.nnunetfiji.io.ImageIO;

/**
 * The Medical Segmentation Decathlon form of {@code dataset.json}: its {@code training} list names
 * each case's image (one 4D file, or {@code id_0000<ending>}, ... per channel) and label.
 */
final class DecathlonForm {

    private DecathlonForm() {
    }

    /** The cases of the training list; problems for bad entries, missing files and unlisted files. */
    static List<CaseEntry> cases(Path root, Path json, JsonObject obj, DatasetDescription desc,
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
            String imagePath = DatasetDescriptionParser.text(el.getAsJsonObject().get("image"));
            String labelPath = DatasetDescriptionParser.text(el.getAsJsonObject().get("label"));
            if (imagePath == null || labelPath == null) {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "training entry " + i + ": \"image\" and \"label\""
                        + " must be paths (text)", "give each training entry both paths, e.g. \"./imagesTr/case.nii.gz\""));
                continue;
            }
            Path image = resolveInside(root, json, imagePath, problems);
            Path label = resolveInside(root, json, labelPath, problems);
            if (image == null || label == null) {
                continue;
            }
            String ending = ImageIO.endingOf(image);
            if (ending == null) {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "training entry " + i + " image " + image.getFileName()
                        + " has an unsupported file type", "use one of " + ImageFormats.describe(false)));
                continue;
            }
            String id = DatasetFiles.stripEnding(image.getFileName().toString(), ending);
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
            // Files dataset.json lists are not extra, even where their case lacks its other file.
            if (imageFiles != null) {
                usedImages.addAll(imageFiles);
            }
            usedLabels.add(label);
            if (ok) {
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
            Path p = listed.resolveSibling(DatasetLoader.channelFileName(id, c, ending));
            if (!Files.isRegularFile(p)) {
                return null;
            }
            files.add(p);
        }
        return files;
    }

    private static Path resolveInside(Path root, Path json, String relative, List<Problem> problems) {
        Path p;
        try {
            p = root.resolve(relative).normalize();
        } catch (InvalidPathException e) {
            problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "path \"" + relative.replace("\0", "\\0")
                    + "\" is not a file name this system accepts (" + e.getReason() + ")",
                    "use paths like ./imagesTr/case.nii.gz"));
            return null;
        }
        if (!p.startsWith(root)) {
            problems.add(new Problem(Kind.PATH_ESCAPES_DATASET, json, "path \"" + relative + "\" points outside the data set folder",
                    "keep every file inside the data set folder and use paths like ./imagesTr/case.nii.gz"));
            return null;
        }
        return p;
    }

    private static void reportExtraFiles(Path dir, Set<Path> used, String what, List<Problem> problems) {
        for (Path p : DatasetFiles.imageFilesIn(dir)) {
            if (!used.contains(p)) {
                problems.add(new Problem(Kind.EXTRA_FILE, p, what + " file belongs to no training case",
                        "add the case to dataset.json or move the file out of " + dir.getFileName() + "/"));
            }
        }
    }
}

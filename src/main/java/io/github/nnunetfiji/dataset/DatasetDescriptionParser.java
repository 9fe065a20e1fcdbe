package io.github.nnunetfiji.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.nnunetfiji.dataset.DatasetDescription.Form;
import io.github.nnunetfiji.dataset.Problem.Kind;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.io.ImageIO;

/**
 * The description part of {@code dataset.json}, common to both forms: which form it is (by its
 * channel key, {@code modality} or {@code channel_names}), channels, labels, {@code file_ending}
 * and {@code numTraining}. Every problem is collected.
 */
final class DatasetDescriptionParser {

    private DatasetDescriptionParser() {
    }

    /** The description, or null (with problems added) if it is unusable. */
    static DatasetDescription parse(Path root, Path json, JsonObject obj, List<Problem> problems) {
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
            ending = obj.has("file_ending") ? text(obj.get("file_ending")) : null;
            if (ending == null || !ImageIO.FILE_ENDINGS.contains(ending.toLowerCase(java.util.Locale.ROOT))) {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "file_ending is "
                        + (ending == null ? "missing" : "'" + ending + "'"),
                        "set \"file_ending\" to one of " + ImageIO.FILE_ENDINGS));
            }
        }
        int numTraining = -1;
        if (obj.has("numTraining")) {
            Integer n = integer(obj.get("numTraining"));
            if (n == null || n < 0) {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "numTraining is not a number of cases",
                        "set numTraining to the number of training cases"));
            } else {
                numTraining = n;
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
            Integer index = integer(e.getKey());
            String name = text(e.getValue());
            if (index != null && name != null) {
                byIndex.put(index, name);
            } else {
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
                Integer v = integer(e.getKey());
                String name = text(e.getValue());
                if (v == null || name == null) {
                    problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "label \"" + e.getKey() + "\" is not of the"
                            + " form \"value\": \"name\" with an integer value", "use \"labels\": {\"0\": \"background\","
                            + " \"1\": \"tumour\"}"));
                } else {
                    labels.put(v, name);
                }
            } else if (e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()) {
                Integer v = integer(e.getValue());
                if (v == null) {
                    problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "label \"" + e.getKey() + "\" has value "
                            + e.getValue() + ", not an integer", "declare one integer value per label"));
                    continue;
                }
                if (labels.containsKey(v)) {
                    problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "label value " + v + " is declared twice ("
                            + labels.get(v) + ", " + e.getKey() + ")", "give every label its own value"));
                }
                labels.put(v, e.getKey());
            } else {
                problems.add(new Problem(Kind.BAD_DATASET_JSON, json, "label \"" + e.getKey() + "\" has value "
                        + shown(e.getValue()) + "; region-based labels (lists of values) are not supported",
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

    // ---- values of an untrusted file: checked before use, so nothing throws (or recurses) ----

    /**
     * A string or number as text, or null for anything else. Gson's getAsString would take a
     * one-element array for its element, recursively: a deeply nested one overflows the stack.
     */
    static String text(JsonElement e) {
        return e != null && e.isJsonPrimitive() && !e.getAsJsonPrimitive().isBoolean() ? e.getAsString() : null;
    }

    /** An integral number (or such text; 3.0 too) within int range, or null. */
    static Integer integer(JsonElement e) {
        return e != null && e.isJsonPrimitive() && !e.getAsJsonPrimitive().isBoolean() ? integer(e.getAsString()) : null;
    }

    /** Text holding an integral number within int range (blanks around it allowed), or null. */
    static Integer integer(String s) {
        try {
            return new java.math.BigDecimal(s.trim()).intValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** A value for a message: short, and an array or object only by its kind. */
    static String shown(JsonElement e) {
        if (e.isJsonArray()) {
            return "(a list of " + e.getAsJsonArray().size() + ")";
        }
        if (e.isJsonObject()) {
            return "(an object)";
        }
        String s = e.toString();
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}

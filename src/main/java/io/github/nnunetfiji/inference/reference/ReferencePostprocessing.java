package io.github.nnunetfiji.inference.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The postprocessing the reference determined on its cross-validation ({@code postprocessing.json}
 * beside {@code postprocessing.pkl}, which holds the same as Python functions): a list of
 * {@code remove_all_but_largest_component_from_segmentation} steps, the first on all foreground
 * labels together if that helped, then one per label that it helped. Only those steps exist in the
 * reference; anything else (regions, other functions) is refused, named.
 *
 * @param largestForeground keep only the largest component of all foreground together
 * @param classes           then keep only the largest component of each of these labels, in order
 */
public record ReferencePostprocessing(boolean largestForeground, int[] classes) {

    static final String FUNCTION = "remove_all_but_largest_component_from_segmentation";

    public ReferencePostprocessing {
        classes = classes.clone();
    }

    @Override
    public int[] classes() {
        return classes.clone();
    }

    /** Reads the decision; {@code foreground} are the model's foreground labels, {@code where} names the file. */
    public static ReferencePostprocessing read(JsonObject json, int[] foreground, String where) {
        JsonArray fns = json.has("postprocessing_fns") && json.get("postprocessing_fns").isJsonArray()
                ? json.getAsJsonArray("postprocessing_fns") : null;
        JsonArray kwargs = json.has("postprocessing_kwargs") && json.get("postprocessing_kwargs").isJsonArray()
                ? json.getAsJsonArray("postprocessing_kwargs") : null;
        if (fns == null || kwargs == null || fns.size() != kwargs.size()) {
            throw refuse(where, "it has no postprocessing_fns and postprocessing_kwargs of the same length");
        }
        boolean all = false;
        List<Integer> classes = new ArrayList<>();
        for (int i = 0; i < fns.size(); i++) {
            String fn = fns.get(i).getAsString();
            if (!fn.equals(FUNCTION)) {
                throw refuse(where, "step " + i + " is " + fn + ", which this project does not have (only " + FUNCTION
                        + ")");
            }
            JsonElement target = kwargs.get(i).isJsonObject() ? kwargs.get(i).getAsJsonObject().get("labels_or_regions")
                    : null;
            if (target != null && target.isJsonPrimitive()) {
                classes.add(label(target, foreground, where));
            } else if (target != null && target.isJsonArray()) {
                int[] labels = new int[target.getAsJsonArray().size()];
                for (int k = 0; k < labels.length; k++) {
                    JsonElement e = target.getAsJsonArray().get(k);
                    if (!e.isJsonPrimitive()) {
                        throw refuse(where, "step " + i + " works on the region " + e + "; this project has no regions");
                    }
                    labels[k] = label(e, foreground, where);
                }
                Arrays.sort(labels);
                if (labels.length == 1) {
                    classes.add(labels[0]);
                } else if (i == 0 && Arrays.equals(labels, foreground)) {
                    all = true;
                } else {
                    throw refuse(where, "step " + i + " keeps the largest component of the labels "
                            + Arrays.toString(labels) + " together, which is neither all foreground labels first "
                            + "nor one label");
                }
            } else {
                throw refuse(where, "step " + i + " names no labels_or_regions");
            }
        }
        return new ReferencePostprocessing(all, classes.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int label(JsonElement e, int[] foreground, String where) {
        int v = e.getAsInt();
        if (Arrays.stream(foreground).noneMatch(f -> f == v)) {
            throw refuse(where, "it names the label " + v + ", which is no foreground label of the model "
                    + Arrays.toString(foreground));
        }
        return v;
    }

    private static ReferenceModelException refuse(String where, String why) {
        return new ReferenceModelException("The reference model's postprocessing " + where + " cannot be imported: "
                + why + ". Import the model without it by removing the file (predictions are then not postprocessed).");
    }
}

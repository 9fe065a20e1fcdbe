package io.github.nnunetfiji.postprocess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.nnunetfiji.fingerprint.ConnectedComponents;
import io.github.nnunetfiji.util.ExplainedIOException;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.StageName;
import io.github.nnunetfiji.util.VersionedJson;

/**
 * What postprocessing does to a prediction ({@code postprocessing.json} in a model folder): keep
 * only the largest connected component of all foreground together (reference option), then of each
 * listed class. How the rule was decided, and the Dice figures behind a cross-validation decision,
 * are kept in {@link #notes}.
 */
public final class PostprocessingRule {

    /** The foreground classes of a network with {@code classes} outputs: 1 .. classes-1. */
    public static int[] foregroundClasses(int classes) {
        int[] f = new int[classes - 1];
        for (int i = 0; i < f.length; i++) {
            f[i] = i + 1;
        }
        return f;
    }

    public static final String FORMAT = "nnunet-fiji-postprocessing";
    /** Decided from the fingerprint's component counts (METHOD.md §7, the default). */
    public static final String PAPER = "paper";
    /** Decided on the cross-validation predictions (the reference's rule). */
    public static final String CROSS_VALIDATION = "cross-validation";
    /** No postprocessing. */
    public static final String NONE = "none";

    private String format = FORMAT;
    private int version = 1;
    private String method;
    private int connectivity = ConnectedComponents.FULL_CONNECTIVITY;
    private boolean largestForegroundComponent;
    private int[] largestComponentClasses = new int[0];
    private List<String> notes = new ArrayList<>();

    public PostprocessingRule(String method, boolean largestForegroundComponent, int[] largestComponentClasses) {
        this.method = method;
        this.largestForegroundComponent = largestForegroundComponent;
        this.largestComponentClasses = largestComponentClasses.clone();
    }

    /** The rule that changes nothing. */
    public static PostprocessingRule none() {
        return new PostprocessingRule(NONE, false, new int[0]);
    }

    public String method() {
        return method;
    }

    public int connectivity() {
        return connectivity;
    }

    public boolean largestForegroundComponent() {
        return largestForegroundComponent;
    }

    /** Classes of which only the largest component is kept, ascending. */
    public int[] largestComponentClasses() {
        return largestComponentClasses.clone();
    }

    public List<String> notes() {
        return notes;
    }

    public PostprocessingRule addNote(String note) {
        notes.add(note);
        return this;
    }

    /** True if applying the rule can change a prediction. */
    public boolean changesAnything() {
        return largestForegroundComponent || largestComponentClasses.length > 0;
    }

    /**
     * Applies the rule in place to a label array of one byte per voxel.
     *
     * @param foreground the foreground class values (for the all-foreground step)
     * @return voxels set to background
     */
    public long apply(byte[] labels, long[] shape, int[] foreground) {
        long removed = 0;
        if (largestForegroundComponent) {
            removed += LargestComponent.keep(labels, shape, foreground, connectivity);
        }
        for (int c : largestComponentClasses) {
            removed += LargestComponent.keep(labels, shape, new int[] {c}, connectivity);
        }
        return removed;
    }

    /** As {@link #apply(byte[], long[], int[])} on one int per voxel. */
    public long apply(int[] labels, long[] shape, int[] foreground) {
        long removed = 0;
        if (largestForegroundComponent) {
            removed += LargestComponent.keep(labels, shape, foreground, connectivity);
        }
        for (int c : largestComponentClasses) {
            removed += LargestComponent.keep(labels, shape, new int[] {c}, connectivity);
        }
        return removed;
    }

    /** One line for reports. */
    public String describe() {
        if (!changesAnything()) {
            return "none (" + method + ")";
        }
        StringBuilder sb = new StringBuilder();
        if (largestForegroundComponent) {
            sb.append("largest component of all foreground");
        }
        if (largestComponentClasses.length > 0) {
            sb.append(sb.length() > 0 ? "; " : "").append("largest component of class(es) ")
                    .append(Arrays.toString(largestComponentClasses));
        }
        return sb.append(" (").append(method).append(", ").append(connectivity).append("-connectivity)").toString();
    }

    public void write(Path file) throws IOException {
        Json.write(file, this);
    }

    /** Reads a rule; a file of another format is refused with the fix. */
    public static PostprocessingRule read(Path file) throws IOException {
        PostprocessingRule r = VersionedJson.read(file, PostprocessingRule.class, VersionedJson.Layout.named(
                "a postprocessing rule", FORMAT, 1, Message.of("decide it again with ", StageName.POSTPROCESS_DETERMINE)));
        if (r.connectivity != 6 && r.connectivity != 18 && r.connectivity != 26) {
            throw new IOException(file + ": connectivity must be 6, 18 or 26, not " + r.connectivity);
        }
        if (r.largestComponentClasses == null) {
            r.largestComponentClasses = new int[0];
        }
        if (r.notes == null) {
            r.notes = new ArrayList<>();
        }
        for (int c : r.largestComponentClasses) {
            if (c < 1 || c > 127) {
                throw new ExplainedIOException(Message.of(file, ": class ", c, " is no foreground class (1 .. 127);"
                        + " decide the rule again with ", StageName.POSTPROCESS_DETERMINE));
            }
        }
        return r;
    }

    /**
     * Refuses a rule that names classes the model does not have (a rule of another model): applied,
     * it would silently do nothing for them.
     *
     * @param foreground the model's foreground classes
     * @param file       where the rule came from, for the message
     */
    public PostprocessingRule checkClasses(int[] foreground, Path file) {
        for (int c : largestComponentClasses) {
            if (Arrays.stream(foreground).noneMatch(f -> f == c)) {
                throw new IllegalArgumentException(file + " names class " + c + ", which the model does not have (its"
                        + " classes: " + Arrays.toString(foreground) + "); it is the rule of another model; decide this"
                        + " model's rule again");
            }
        }
        return this;
    }
}

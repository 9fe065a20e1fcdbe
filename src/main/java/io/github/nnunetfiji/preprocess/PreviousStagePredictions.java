package io.github.nnunetfiji.preprocess;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.VersionedJson;

/**
 * Stage 1's segmentations of the training cases, stored beside the preprocessed data of the
 * cascade's second stage, on that data's grid, for training stage 2 (docs/training.md, "The
 * cascade"):
 *
 * <pre>
 * preprocessed/&lt;data id of stage 2&gt;/predicted_next_stage/&lt;stage 1&gt;/CASE.seg   one signed byte per voxel (the class), x fastest
 * preprocessed/&lt;data id of stage 2&gt;/predicted_next_stage/&lt;stage 1&gt;/CASE.json  {@link Header}: fold, network step, shape
 * </pre>
 *
 * Each case is predicted by the fold that held it out (end-of-fold validation of stage 1), so a
 * retrained fold replaces exactly its own cases; fold {@code all}, which saw every case, fills
 * only cases that no held-out fold has predicted. The header is removed before and written after
 * the voxels, so its presence marks a whole file of the fold it names.
 */
public final class PreviousStagePredictions {

    /** Folder under the preprocessed data of stage 2. */
    public static final String FOLDER = "predicted_next_stage";
    /** Identifies the header's file type. */
    public static final String FORMAT = "nnunet-fiji-previous-stage-prediction";
    public static final int VERSION = 1;
    static final VersionedJson.Layout LAYOUT = VersionedJson.Layout.named("a previous-stage prediction", FORMAT,
            VERSION, "train the cascade's first stage again");

    /**
     * One stored prediction.
     *
     * @param configuration stage 1's configuration
     * @param fold          the fold whose network predicted the case ({@code 0 .. 4} or {@code all})
     * @param networkStep   that network's optimizer step
     * @param shape         stage 2's preprocessed shape (x, y, z)
     */
    public record Header(String format, int version, String id, String configuration, String fold, long networkStep,
            int[] shape) {

        public Header(String id, String configuration, String fold, long networkStep, int[] shape) {
            this(FORMAT, VERSION, id, configuration, fold, networkStep, shape.clone());
        }

        /** Whether a held-out fold (not {@code all}) made it. */
        public boolean heldOut() {
            return !"all".equals(fold);
        }
    }

    private PreviousStagePredictions() {
    }

    /**
     * @param nextStageDir          the preprocessed data folder of stage 2
     * @param previousConfiguration stage 1's configuration
     */
    public static Path folder(Path nextStageDir, String previousConfiguration) {
        return nextStageDir.resolve(FOLDER).resolve(previousConfiguration);
    }

    /**
     * Where the first stage {@code stage1} writes its predictions, or null if no configuration of
     * the plans takes them.
     */
    public static Path writtenBy(WorkFolder.DatasetWork work, Plans plans, PlanConfiguration stage1) {
        String next = stage1.nextStage();
        if (next == null || !plans.has(next)) {
            return null;
        }
        return folder(work.preprocessedDir(plans.configuration(next).dataIdentifier()), stage1.name());
    }

    /** Where the cascade's second stage {@code stage2} reads its first stage's predictions, or null for another configuration. */
    public static Path readBy(WorkFolder.DatasetWork work, PlanConfiguration stage2) {
        return stage2.previousStage() == null ? null
                : folder(work.preprocessedDir(stage2.dataIdentifier()), stage2.previousStage());
    }

    /**
     * The shape of a case on the grid of {@code stage2}'s preprocessed data, from the first stage's
     * preprocessing of it: the same crop, resampled to {@code stage2}'s spacing (what preprocessing
     * computes, {@link ResamplingRule}).
     */
    public static int[] shapeFor(PlanConfiguration stage2, PreprocessedImage stage1) {
        double[] spacing = stage1.originalGeometry().spacing();
        return ResamplingRule.newShape(stage1.croppedShape(), spacing, ResamplingRule.targetSpacing(stage2, spacing));
    }

    public static Path labelFile(Path folder, String id) {
        return folder.resolve(id + ".seg");
    }

    public static Path headerFile(Path folder, String id) {
        return folder.resolve(id + ".json");
    }

    /** The header of a complete prediction, or null if there is none (or only part of one). */
    public static Header read(Path folder, String id) throws IOException {
        Path h = headerFile(folder, id);
        if (!Files.isRegularFile(h)) {
            return null;
        }
        Header header = VersionedJson.read(h, Header.class, LAYOUT);
        Path seg = labelFile(folder, id);
        long voxels = (long) header.shape()[0] * header.shape()[1] * header.shape()[2];
        return Files.isRegularFile(seg) && Files.size(seg) == voxels ? header : null;
    }

    /**
     * Whether a prediction by {@code fold} may be written over what is stored: always, unless
     * fold {@code all} would replace a held-out fold's.
     */
    public static boolean mayWrite(Path folder, String id, String fold) throws IOException {
        if (!"all".equals(fold)) {
            return true;
        }
        Header old = read(folder, id);
        return old == null || !old.heldOut();
    }

    /** Writes one case: the old header removed first, then the voxels, then the header. */
    public static void write(Path folder, Header header, byte[] labels) throws IOException {
        int[] s = header.shape();
        if (labels.length != (long) s[0] * s[1] * s[2]) {
            throw new IllegalArgumentException(labels.length + " labels for shape " + format(s));
        }
        Files.createDirectories(folder);
        Files.deleteIfExists(headerFile(folder, header.id()));
        AtomicFiles.write(labelFile(folder, header.id()), out -> out.write(labels));
        Json.write(headerFile(folder, header.id()), header);
    }

    /**
     * Reads a stored prediction whole.
     *
     * @param shape the shape it must have
     * @throws IOException naming the file and the fix if it is missing or of another shape
     */
    public static byte[] readLabels(Path folder, String id, int[] shape) throws IOException {
        checkShape(folder, id, shape);
        return Files.readAllBytes(labelFile(folder, id));
    }

    private static void checkShape(Path folder, String id, int[] shape) throws IOException {
        Header h = read(folder, id);
        if (h == null || !Arrays.equals(h.shape(), shape)) {
            throw new IOException(labelFile(folder, id) + (h == null ? " is missing or incomplete"
                    : " has shape " + format(h.shape()) + ", the preprocessed case " + format(shape))
                    + "; train the cascade's first stage again (its final validation writes it)");
        }
    }

    /** A stored prediction opened for patch reads (memory-mapped). */
    public static final class Mapped implements AutoCloseable {
        private final FileChannel channel;
        private final ByteBuffer data;
        private final int[] shape;

        private Mapped(FileChannel channel, ByteBuffer data, int[] shape) {
            this.channel = channel;
            this.data = data;
            this.shape = shape;
        }

        /**
         * Reads a box; voxels outside the volume read as {@code outside}.
         *
         * @param start first voxel per axis (may be negative)
         * @param size  voxels per axis
         */
        public void readPatch(int[] start, int[] size, byte[] out, byte outside) {
            Arrays.fill(out, 0, size[0] * size[1] * size[2], outside);
            int x0 = Math.max(0, start[0]);
            int x1 = Math.min(shape[0], start[0] + size[0]);
            if (x1 <= x0) {
                return;
            }
            for (int z = Math.max(0, start[2]); z < Math.min(shape[2], start[2] + size[2]); z++) {
                for (int y = Math.max(0, start[1]); y < Math.min(shape[1], start[1] + size[1]); y++) {
                    long src = x0 + (long) shape[0] * (y + (long) shape[1] * z);
                    int dst = (x0 - start[0]) + size[0] * ((y - start[1]) + size[1] * (z - start[2]));
                    data.get((int) src, out, dst, x1 - x0);
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * Opens a stored prediction for patch reads.
     *
     * @param shape the shape it must have: stage 2's preprocessed case's
     * @throws IOException naming the file and the fix if it is missing or of another shape
     */
    public static Mapped open(Path folder, String id, int[] shape) throws IOException {
        checkShape(folder, id, shape);
        FileChannel c = FileChannel.open(labelFile(folder, id), StandardOpenOption.READ);
        return new Mapped(c, c.map(FileChannel.MapMode.READ_ONLY, 0, c.size()), shape.clone());
    }

    private static String format(int[] v) {
        return AxisOrder.format(Arrays.stream(v).asLongStream().toArray());
    }
}

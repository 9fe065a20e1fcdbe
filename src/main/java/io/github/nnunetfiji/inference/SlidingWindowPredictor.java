package io.github.nnunetfiji.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.Predictor;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.util.Progress;

/**
 * Predicts class probabilities for a whole preprocessed case with a network trained on patches
 * (METHOD.md §6, REFERENCE.md "Inference"): tiles of the patch size overlapping by
 * {@code 1 - step} of a patch ({@link TileGrid}), each tile's softmax weighted by the Gaussian
 * importance map ({@link GaussianImportance}), optionally averaged over every mirroring of the
 * network's axes (test-time augmentation: 8 passes in 3D, 4 in 2D) and over several networks (the
 * folds of a cross-validation: mean of softmax). 2D configurations predict each slice along the
 * plan's slice axis with 2D tiles. Images smaller than the patch are padded with zeros.
 *
 * <p>Input: one float array per channel, axes x, y, z, x fastest. Output: one float array per class
 * of the same shape, the probabilities (they sum to 1 per voxel). Memory: the output (one float
 * per class and voxel) is the only whole-case buffer; the weights are normalized per axis, so no
 * weight buffer is needed, and tiles are extracted on the fly (no padded copy).
 *
 * <p>Passes are batched: the mirrorings of a tile, and for small tiles several tiles, go to the
 * engine as one batch (at most {@link #MAX_PASSES_PER_RUN} passes of {@link #MAX_RUN_VOXELS}
 * voxels in all). The network normalizes each sample on its own, so a batch computes what the
 * passes one by one would, in a fraction of the engine calls.
 *
 * <p>The predictors are used from the calling thread only; they are not closed here.
 */
public final class SlidingWindowPredictor {

    /** The reference's tile step: half a patch. */
    public static final double DEFAULT_STEP = 0.5;

    private final List<? extends Predictor> models;
    private final int[] networkAxes;
    private final int[] tile;
    private final int sliceAxis;
    private final double step;
    private final boolean mirror;
    /** The plan axes mirroring may flip; null: every network axis. */
    private final int[] mirrorAxes;
    private final int classes;
    private final int channels;
    private final int passesPerRun;

    /**
     * Network passes (tiles times mirrorings) run as one batch at most: one engine call per batch
     * instead of per pass, which on a CPU saves most of a small tile's fixed cost per call.
     */
    public static final int MAX_PASSES_PER_RUN = 64;
    /**
     * Input voxels of one batched run at most: a batch of passes holds the activations of all of
     * them at once, so large tiles run alone (a 128^3 tile already has 2^21 voxels).
     */
    public static final long MAX_RUN_VOXELS = 1L << 21;

    /**
     * @param models       one or more networks with the same input channels, classes and dimensions
     * @param networkAxes  the plan axes (0 = x, 1 = y, 2 = z) the network sees, in its order: all
     *                     three for 3D, two in increasing order for 2D (the third is the slice axis)
     * @param networkPatch the patch edges in network axis order
     * @param step         tile step as a fraction of the patch, in (0, 1]; 0.5 is the reference's
     * @param mirror       test-time augmentation by mirroring over every network axis
     */
    public SlidingWindowPredictor(List<? extends Predictor> models, int[] networkAxes, int[] networkPatch, double step,
            boolean mirror) {
        this(models, networkAxes, networkPatch, step, mirror, null, true);
    }

    /**
     * As above, mirroring only over {@code mirrorAxes} (plan axes; null: every network axis), as a
     * model trained with fewer mirrorings allows (the reference's inference_allowed_mirroring_axes).
     */
    public SlidingWindowPredictor(List<? extends Predictor> models, int[] networkAxes, int[] networkPatch, double step,
            boolean mirror, int[] mirrorAxes) {
        this(models, networkAxes, networkPatch, step, mirror, mirrorAxes, true);
    }

    /**
     * As above, passes batched or not.
     *
     * @param batchPasses several passes per engine call (up to {@link #MAX_PASSES_PER_RUN} and
     *                    {@link #MAX_RUN_VOXELS}); false: one pass per call, the plain path the
     *                    batched one is tested against
     */
    public SlidingWindowPredictor(List<? extends Predictor> models, int[] networkAxes, int[] networkPatch, double step,
            boolean mirror, boolean batchPasses) {
        this(models, networkAxes, networkPatch, step, mirror, null, batchPasses);
    }

    /** The full form: mirroring axes (null: every network axis) and batched passes. */
    public SlidingWindowPredictor(List<? extends Predictor> models, int[] networkAxes, int[] networkPatch, double step,
            boolean mirror, int[] mirrorAxes, boolean batchPasses) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("Prediction needs at least one network");
        }
        if (networkAxes.length != networkPatch.length || (networkAxes.length != 2 && networkAxes.length != 3)) {
            throw new IllegalArgumentException("Network axes and patch need 2 or 3 entries each");
        }
        NetworkSpec first = models.get(0).spec();
        for (Predictor m : models) {
            NetworkSpec s = m.spec();
            if (s.dims() != networkAxes.length || s.classes() != first.classes() || s.inputChannels() != first.inputChannels()) {
                throw new IllegalArgumentException("The networks disagree: " + s.dims() + "D, " + s.inputChannels()
                        + " channel(s), " + s.classes() + " classes against " + networkAxes.length + "D, "
                        + first.inputChannels() + " channel(s), " + first.classes() + " classes; use folds of one model");
            }
            s.checkPatchShape(networkPatch);
        }
        this.models = List.copyOf(models);
        this.networkAxes = networkAxes.clone();
        this.tile = new int[] {1, 1, 1};
        for (int i = 0; i < networkAxes.length; i++) {
            tile[networkAxes[i]] = networkPatch[i];
        }
        int slice = -1;
        if (networkAxes.length == 2) {
            slice = 3 - networkAxes[0] - networkAxes[1];
        }
        this.sliceAxis = slice;
        this.step = step;
        this.mirror = mirror;
        this.mirrorAxes = mirrorAxes == null ? null : mirrorAxes.clone();
        this.classes = first.classes();
        this.channels = first.inputChannels();
        new TileGrid(new int[] {1, 1, 1}, tile, step, sliceAxis); // checks the step now, not per case
        long tileVoxels = (long) tile[0] * tile[1] * tile[2];
        this.passesPerRun = batchPasses ? (int) Math.max(1, Math.min(MAX_PASSES_PER_RUN, MAX_RUN_VOXELS / tileVoxels))
                : 1;
    }

    /** A predictor for a plan configuration: its network axes and patch (plan.PlanNetworkAdapter). */
    public static SlidingWindowPredictor forConfiguration(PlanConfiguration c, List<? extends Predictor> models,
            double step, boolean mirror) {
        return forConfiguration(c, models, step, mirror, true);
    }

    /** As {@link #forConfiguration(PlanConfiguration, List, double, boolean)}, passes batched or not. */
    public static SlidingWindowPredictor forConfiguration(PlanConfiguration c, List<? extends Predictor> models,
            double step, boolean mirror, boolean batchPasses) {
        return new SlidingWindowPredictor(models, PlanNetworkAdapter.networkAxes(c), PlanNetworkAdapter.networkPatch(c),
                step, mirror, c.mirrorAxes(), batchPasses);
    }

    /** Tiles whose passes (every mirroring) run in one engine call. */
    int tilesPerRun() {
        return Math.max(1, passesPerRun / mirrorings().size());
    }

    public int classes() {
        return classes;
    }

    public int channels() {
        return channels;
    }

    /** Tile edges per plan axis (x, y, z), 1 along the slice axis of a 2D network. */
    public int[] tile() {
        return tile.clone();
    }

    /** The tiles this predictor would use for an image of {@code shape}. */
    public TileGrid grid(int[] shape) {
        return new TileGrid(shape, tile, step, sliceAxis);
    }

    /**
     * Bytes of the whole-case aggregation {@link #predict} allocates for an image of {@code shape}:
     * one float per class and voxel, and nothing else of the case's size.
     */
    public long aggregationBytes(int[] shape) {
        return 4L * classes * shape[0] * shape[1] * shape[2];
    }

    /**
     * Bytes of the per-call buffers of {@link #predict}: the group's tiles and sums, one call's
     * batch of passes and its output, and an unmirrored output.
     */
    public long tileBufferBytes() {
        long tileVoxels = (long) tile[0] * tile[1] * tile[2];
        long tiles = tilesPerRun();
        long perCall = Math.min(passesPerRun, tiles * mirrorings().size());
        return 4L * tileVoxels * (tiles * (channels + classes) + perCall * (channels + classes) + classes);
    }

    /** Network passes in one engine call at most. */
    int passesPerRun() {
        return passesPerRun;
    }

    /** Network passes per tile: models times mirrorings. */
    public int passesPerTile() {
        return models.size() * mirrorings().size();
    }

    /**
     * Softmax probabilities of every voxel.
     *
     * @param image    one array per channel, {@code shape[0] * shape[1] * shape[2]} values each, x fastest
     * @param shape    x, y, z
     * @param progress tiles done of all tiles; cancel is checked between network passes
     * @return one array per class, same layout as a channel
     */
    public float[][] predict(float[][] image, int[] shape, Progress progress) {
        if (image.length != channels) {
            throw new IllegalArgumentException("The network takes " + channels + " channel(s), the image has "
                    + image.length);
        }
        long voxels = (long) shape[0] * shape[1] * shape[2];
        if (voxels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("The image has " + voxels + " voxels; at most " + Integer.MAX_VALUE
                    + " fit one array");
        }
        for (float[] ch : image) {
            if (ch.length != voxels) {
                throw new IllegalArgumentException("A channel holds " + ch.length + " values, shape needs " + voxels);
            }
        }
        TileGrid grid = grid(shape);
        float[][] out = new float[classes][(int) voxels];
        List<int[]> flips = mirrorings();
        int m = flips.size();
        int tileVoxels = tile[0] * tile[1] * tile[2];
        int inSize = tileVoxels * channels;
        int outSize = tileVoxels * classes;
        int[] netShape = new int[networkAxes.length];
        for (int i = 0; i < networkAxes.length; i++) {
            netShape[i] = tile[networkAxes[i]];
        }
        List<int[]> starts = new ArrayList<>();
        for (int z0 : grid.starts(2)) {
            for (int y0 : grid.starts(1)) {
                for (int x0 : grid.starts(0)) {
                    starts.add(new int[] {x0, y0, z0});
                }
            }
        }
        int perRun = tilesPerRun();
        float[] tiles = new float[perRun * inSize];
        float[] sums = new float[perRun * outSize];
        float[] unflipped = new float[outSize];
        float[] batch = new float[0];
        long total = starts.size();
        progress.progress(0, total);
        float scale = 1f / (models.size() * m);
        for (int g = 0; g < starts.size(); g += perRun) {
            int n = Math.min(perRun, starts.size() - g);
            for (int t = 0; t < n; t++) {
                extract(image, shape, starts.get(g + t), tiles, t * inSize);
            }
            Arrays.fill(sums, 0, n * outSize, 0);
            // The group's passes (tile t, mirroring f) in order, at most passesPerRun per call: a
            // large tile's mirrorings run one by one, as its activations fill the memory alone.
            int passes = n * m;
            for (Predictor model : models) {
                for (int q0 = 0; q0 < passes; q0 += passesPerRun) {
                    int k = Math.min(passesPerRun, passes - q0);
                    if (batch.length != k * inSize) { // the same size for every call but a group's last
                        batch = new float[k * inSize];
                    }
                    for (int j = 0; j < k; j++) {
                        int t = (q0 + j) / m;
                        int[] axes = flips.get((q0 + j) % m);
                        if (axes.length == 0) {
                            System.arraycopy(tiles, t * inSize, batch, j * inSize, inSize);
                        } else {
                            flip(tiles, t * inSize, channels, axes, batch, j * inSize);
                        }
                    }
                    progress.checkCanceled();
                    float[] p = model.predict(Batch.images(k, netShape, channels, batch));
                    for (int j = 0; j < k; j++) {
                        int t = (q0 + j) / m;
                        int[] axes = flips.get((q0 + j) % m);
                        int from = j * outSize;
                        float[] pass = p;
                        if (axes.length > 0) {
                            flip(p, from, classes, axes, unflipped, 0);
                            pass = unflipped;
                            from = 0;
                        }
                        int to = t * outSize;
                        for (int i = 0; i < outSize; i++) {
                            sums[to + i] += pass[from + i];
                        }
                    }
                }
            }
            for (int t = 0; t < n; t++) {
                int[] start = starts.get(g + t);
                accumulate(sums, t * outSize, scale, start, shape, grid.normalizedWeights(0, start[0]),
                        grid.normalizedWeights(1, start[1]), grid.normalizedWeights(2, start[2]), out);
            }
            progress.progress(g + n, total);
        }
        return out;
    }

    /** The plan axes to flip for each pass: the empty set first, then every non-empty subset. */
    List<int[]> mirrorings() {
        List<int[]> r = new ArrayList<>();
        r.add(new int[0]);
        if (!mirror) {
            return r;
        }
        List<Integer> valid = new ArrayList<>();
        for (int a : networkAxes) {
            if (tile[a] > 1 && (mirrorAxes == null || Arrays.stream(mirrorAxes).anyMatch(m -> m == a))) {
                valid.add(a);
            }
        }
        for (int mask = 1; mask < (1 << valid.size()); mask++) {
            int[] axes = new int[Integer.bitCount(mask)];
            for (int b = 0, k = 0; b < valid.size(); b++) {
                if ((mask & (1 << b)) != 0) {
                    axes[k++] = valid.get(b);
                }
            }
            r.add(axes);
        }
        return r;
    }

    /** Copies the tile at {@code start} into channels-last layout; outside the image reads 0. */
    private void extract(float[][] image, int[] shape, int[] start, float[] dst, int offset) {
        int c = channels;
        int tx = tile[0];
        int ty = tile[1];
        int tz = tile[2];
        int x0 = Math.max(0, start[0]);
        int x1 = Math.min(shape[0], start[0] + tx);
        boolean partial = start[0] < 0 || start[1] < 0 || start[2] < 0 || x1 - start[0] < tx
                || start[1] + ty > shape[1] || start[2] + tz > shape[2];
        if (partial) {
            Arrays.fill(dst, offset, offset + tx * ty * tz * c, 0);
        }
        for (int lz = 0; lz < tz; lz++) {
            int z = start[2] + lz;
            if (z < 0 || z >= shape[2]) {
                continue;
            }
            for (int ly = 0; ly < ty; ly++) {
                int y = start[1] + ly;
                if (y < 0 || y >= shape[1]) {
                    continue;
                }
                int src = shape[0] * (y + shape[1] * z);
                int dstRow = tx * (ly + ty * lz);
                for (int ch = 0; ch < c; ch++) {
                    float[] data = image[ch];
                    for (int x = x0; x < x1; x++) {
                        dst[offset + (dstRow + x - start[0]) * c + ch] = data[src + x];
                    }
                }
            }
        }
    }

    /** Mirrors a channels-last tile (at {@code from} in {@code src}) along the given plan axes into {@code dst} at {@code to}. */
    private void flip(float[] src, int from, int c, int[] axes, float[] dst, int to) {
        boolean fx = false;
        boolean fy = false;
        boolean fz = false;
        for (int a : axes) {
            fx |= a == 0;
            fy |= a == 1;
            fz |= a == 2;
        }
        int tx = tile[0];
        int ty = tile[1];
        int tz = tile[2];
        for (int z = 0; z < tz; z++) {
            int z2 = fz ? tz - 1 - z : z;
            for (int y = 0; y < ty; y++) {
                int y2 = fy ? ty - 1 - y : y;
                int row = tx * (y + ty * z);
                int row2 = tx * (y2 + ty * z2);
                for (int x = 0; x < tx; x++) {
                    int x2 = fx ? tx - 1 - x : x;
                    System.arraycopy(src, from + (row + x) * c, dst, to + (row2 + x2) * c, c);
                }
            }
        }
    }

    /** Adds the weighted tile (channels last, times {@code scale}) into the per-class output. */
    private void accumulate(float[] sum, int offset, float scale, int[] start, int[] shape, float[] wx, float[] wy, float[] wz,
            float[][] out) {
        int k = classes;
        int tx = tile[0];
        int ty = tile[1];
        int tz = tile[2];
        int lx0 = Math.max(0, -start[0]);
        int lx1 = Math.min(tx, shape[0] - start[0]);
        for (int lz = 0; lz < tz; lz++) {
            int z = start[2] + lz;
            if (z < 0 || z >= shape[2]) {
                continue;
            }
            for (int ly = 0; ly < ty; ly++) {
                int y = start[1] + ly;
                if (y < 0 || y >= shape[1]) {
                    continue;
                }
                float wyz = wy[ly] * wz[lz] * scale;
                int dstRow = shape[0] * (y + shape[1] * z) + start[0];
                int srcRow = tx * (ly + ty * lz);
                for (int cls = 0; cls < k; cls++) {
                    float[] o = out[cls];
                    for (int lx = lx0; lx < lx1; lx++) {
                        o[dstRow + lx] += sum[offset + (srcRow + lx) * k + cls] * wx[lx] * wyz;
                    }
                }
            }
        }
    }
}

package io.github.nnunetfiji.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.github.nnunetfiji.engine.Predictor;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.preprocess.CasePreprocessor;
import io.github.nnunetfiji.preprocess.PreprocessedImage;
import io.github.nnunetfiji.preprocess.PreviousStageSegmentation;
import io.github.nnunetfiji.preprocess.ResamplingRule;
import io.github.nnunetfiji.util.MemoryBudget;
import io.github.nnunetfiji.util.NotEnoughMemoryException;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Segments one image in memory with a trained model (METHOD.md §6): preprocess exactly as for
 * training ({@link CasePreprocessor#preprocess}: crop, normalize with the plan's statistics,
 * resample to the plan's spacing), predict with the sliding window (folds ensembled, mirroring),
 * resample the probabilities back, argmax, uncrop ({@link #restore}, {@link SegmentationExport}),
 * then apply the model's postprocessing rule if it was given one. The label image has the input's
 * exact shape and geometry (the same {@link io.github.nnunetfiji.image.Geometry}).
 *
 * <p>This is the one in-memory path of prediction: the folder predictor ({@link FolderPrediction})
 * runs it for each case it reads, Segment Image (through {@code pipeline.SegmentStage}) for the
 * image it is given, and {@code pipeline.CaseStage#restore} is its {@link #restore}.
 *
 * <p>The cascade's second stage ({@code 3d_cascade_fullres}) chains both stages: its predictor holds
 * the first stage's ({@link #previousStage}), which segments the image on its own grid first; those
 * probabilities are resampled to the second stage's grid ({@link PreviousStageSegmentation}),
 * and their argmax becomes one extra one-hot input channel per foreground class.
 *
 * <p>Memory, besides the input: during prediction the preprocessed channels plus one float per
 * class and voxel of the preprocessed case; afterwards one float and one byte per voxel of the crop
 * box plus one byte per voxel of the input (docs/inference.md gives figures).
 */
public final class CasePredictor implements ImagePredictor {

    /**
     * A segmentation and, if asked for, the probabilities (one float channel per class);
     * {@code labelValues} is the label image's own storage (x fastest); {@code postprocessedVoxels}
     * the voxels the postprocessing set to background (0 without postprocessing).
     */
    public record Prediction(LabelImage labels, Image probabilities, byte[] labelValues, long postprocessedVoxels) {
    }

    /** Class probabilities on the network's grid (one array per class) and the preprocessed image they belong to. */
    public record NetworkOutput(PreprocessedImage preprocessed, float[][] probabilities) {
    }

    private final Plans plans;
    private final PlanConfiguration config;
    private final List<? extends Predictor> networks;
    private final PredictionOptions options;
    private final SlidingWindowPredictor window;
    private final PostprocessingRule postprocessing;
    private final CasePredictor previousStage;

    /**
     * A predictor without postprocessing.
     *
     * @param networks one network per fold, all built for {@code configuration} of {@code plans};
     *                 used, not closed
     */
    public CasePredictor(Plans plans, String configuration, List<? extends Predictor> networks,
            PredictionOptions options) {
        this(plans, configuration, networks, options, PostprocessingRule.none());
    }

    /**
     * @param networks       one network per fold, all built for {@code configuration} of {@code plans};
     *                       used, not closed
     * @param postprocessing applied to every label image predicted ({@link TrainedModel#postprocessingOf})
     */
    public CasePredictor(Plans plans, String configuration, List<? extends Predictor> networks,
            PredictionOptions options, PostprocessingRule postprocessing) {
        this(plans, configuration, networks, options, postprocessing, null);
    }

    /**
     * @param previousStage for the cascade's second stage, the first stage's predictor (no
     *                      postprocessing), run on every image first; null otherwise, or where the
     *                      caller gives the first stage's labels ({@link #predictOnNetworkGrid(Image, Function, Progress)})
     */
    public CasePredictor(Plans plans, String configuration, List<? extends Predictor> networks,
            PredictionOptions options, PostprocessingRule postprocessing, CasePredictor previousStage) {
        this.postprocessing = java.util.Objects.requireNonNull(postprocessing, "postprocessing");
        this.plans = plans;
        this.config = plans.configuration(configuration);
        if (previousStage != null && !previousStage.configuration().name().equals(config.previousStage())) {
            throw new IllegalArgumentException("Configuration " + configuration + " takes the segmentation of "
                    + (config.previousStage() == null ? "no other configuration" : config.previousStage()) + ", not of "
                    + previousStage.configuration().name());
        }
        this.previousStage = previousStage;
        this.networks = List.copyOf(networks);
        this.options = options;
        this.window = SlidingWindowPredictor.forConfiguration(config, networks, options.step(), options.mirror(),
                options.batchPasses());
        int expected = config.normalization().size() + previousStageChannels();
        if (window.channels() != expected) {
            throw new IllegalArgumentException("The networks take " + window.channels() + " channel(s) but the plan has "
                    + expected + (previousStageChannels() > 0 ? " (" + config.normalization().size() + " image channels and "
                            + previousStageChannels() + " of the previous stage's segmentation)" : "")
                    + "; the model folder mixes plans and networks");
        }
    }

    /** Extra input channels: one per foreground class for the cascade's second stage, else none. */
    private int previousStageChannels() {
        return config.previousStage() != null ? window.classes() - 1 : 0;
    }

    /** The first stage's predictor of a cascade's second stage, or null. */
    public CasePredictor previousStage() {
        return previousStage;
    }

    public PlanConfiguration configuration() {
        return config;
    }

    public int classes() {
        return window.classes();
    }

    /** The postprocessing applied to every prediction (one that changes nothing when turned off). */
    @Override
    public PostprocessingRule postprocessing() {
        return postprocessing;
    }

    /** Checks that an image suits the model before any work (channels and dimensionality). */
    @Override
    public void check(Image image) {
        int expected = config.normalization().size();
        if (image.channelCount() != expected) {
            throw new IllegalArgumentException("The image has " + image.channelCount() + " channel(s) but the model takes "
                    + expected + " (" + String.join(", ", plans.channelNames()) + ")");
        }
        double[] median = plans.originalMedianShapeAfterCrop();
        boolean modelIs3d = median != null && median.length == 3 && median[AxisOrder.Z] > 1;
        if (modelIs3d && image.is2D() && !config.is2D()) {
            throw new IllegalArgumentException("The image is 2D (" + AxisOrder.format(image.shape())
                    + ") but configuration " + config.name() + " was planned for 3D volumes; give a volume, or use a "
                    + "model trained on 2D images");
        }
        checkMemory(image, MemoryBudget.available());
    }

    /**
     * Refuses an image whose prediction cannot fit: the image, its channels at the network's spacing,
     * and a probability per class and voxel there with the tiles' weights.
     *
     * @throws NotEnoughMemoryException with the figures
     */
    void checkMemory(Image image, long available) {
        long in = image.voxelCount();
        long net = ResamplingRule.newVoxelCount(config, image.shape(), image.geometry().spacing());
        long channels = image.channelCount() + previousStageChannels();
        long bytes = MemoryBudget.times(MemoryBudget.FLOAT, MemoryBudget.plus(MemoryBudget.times(channels, in),
                MemoryBudget.times(channels + classes() + 1, net)));
        MemoryBudget.require("Segmenting this " + AxisOrder.format(image.shape()) + " image at the model's spacing "
                + AxisOrder.format(config.spacing()), bytes, available, 0);
    }

    /**
     * Segments {@code image} and postprocesses the labels; progress reports tiles, cancel is checked
     * between network passes.
     */
    @Override
    public Prediction predict(Image image, Progress progress) {
        return toPrediction(predictOnNetworkGrid(image, progress), image, progress);
    }

    /**
     * Preprocesses and predicts {@code image}, leaving the probabilities on the network's grid; the
     * cascade's second stage runs its first stage's predictor for the extra channels.
     */
    public NetworkOutput predictOnNetworkGrid(Image image, Progress progress) {
        return predictOnNetworkGrid(image, null, progress);
    }

    /**
     * As {@link #predictOnNetworkGrid(Image, Progress)}; for the cascade's second stage the first
     * stage's labels on this configuration's grid come from {@code previousLabels} where it is
     * given (the end-of-fold validation reads the stored ones), else from {@link #previousStage()}.
     *
     * @param previousLabels the first stage's labels (x fastest) for the preprocessed image, or null
     */
    public NetworkOutput predictOnNetworkGrid(Image image, Function<PreprocessedImage, byte[]> previousLabels,
            Progress progress) {
        check(image);
        progress.status("Preprocessing " + AxisOrder.format(image.shape()));
        PreprocessedImage pre = new CasePreprocessor(plans, config, options.threads()).preprocess(image);
        progress.checkCanceled();
        float[][] input = pre.channels();
        if (config.previousStage() != null) {
            byte[] labels = previousLabels != null ? previousLabels.apply(pre) : previousStageLabels(image, pre, progress);
            int[] s = pre.shape();
            if (labels.length != (long) s[0] * s[1] * s[2]) {
                throw new IllegalStateException("The previous stage's segmentation holds " + labels.length
                        + " voxels, the preprocessed image " + AxisOrder.format(toLong(s)));
            }
            input = PreviousStageSegmentation.appendChannels(input,
                    PreviousStageSegmentation.oneHot(labels, window.classes()));
        }
        progress.status("Predicting " + AxisOrder.format(toLong(pre.shape())) + " in " + window.grid(pre.shape()).tileCount()
                + " tile(s) x " + window.passesPerTile() + " pass(es)");
        float[][] probabilities = window.predict(input, pre.shape(), progress);
        pre.releaseChannels();
        return new NetworkOutput(pre, probabilities);
    }

    /** The first stage's segmentation of {@code image} on the grid of {@code pre} (this stage's). */
    private byte[] previousStageLabels(Image image, PreprocessedImage pre, Progress progress) {
        if (previousStage == null) {
            throw new IllegalStateException("Configuration " + config.name() + " is the second stage of a cascade and "
                    + "needs a predictor of " + config.previousStage() + " for its input");
        }
        progress.status("Stage 1 of the cascade (" + previousStage.configuration().name() + ")");
        NetworkOutput first = previousStage.predictOnNetworkGrid(image, progress);
        PreprocessedImage p = first.preprocessed();
        return PreviousStageSegmentation.resampledLabels(first.probabilities(), p.shape(), p.spacing(), pre.shape(),
                pre.spacing(), previousStage.configuration(), options.threads());
    }

    /**
     * Probabilities on the network's grid to the result on the input's grid ({@link #restore}),
     * postprocessed. The probabilities are used up.
     */
    public Prediction toPrediction(NetworkOutput out, Image image, Progress progress) {
        progress.status("Resampling to " + AxisOrder.format(image.shape()));
        Prediction p = restore(out.probabilities(), out.preprocessed(), config, options.probabilities(),
                options.threads(), progress);
        if (!postprocessing.changesAnything()) {
            return p;
        }
        long removed = postprocessing.apply(p.labelValues(), image.shape(), PostprocessingRule.foregroundClasses(classes()));
        return new Prediction(p.labels(), p.probabilities(), p.labelValues(), removed);
    }

    /**
     * Class probabilities predicted at the network's grid back to the original one: resampled to the
     * cropped shape by the reference's rule, argmax, uncropped with background outside the crop box
     * ({@link SegmentationExport}). The labels and probabilities are array images over the computed
     * arrays, with the original shape and geometry; nothing is postprocessed.
     *
     * @param probabilities one array per class in the preprocessed shape; set to null as they are used
     * @param pre           the preprocessed image they were predicted from
     */
    public static Prediction restore(float[][] probabilities, PreprocessedImage pre, PlanConfiguration config,
            boolean keepProbabilities, int threads, Progress progress) {
        SegmentationExport.Result r = SegmentationExport.toOriginal(probabilities, pre, config, keepProbabilities,
                threads, progress);
        long[] shape = pre.originalShape();
        ArrayImg<UnsignedByteType, ByteArray> labels = ArrayImgs.unsignedBytes(r.labels(), shape);
        Image probs = null;
        if (r.probabilities() != null) {
            List<ArrayImg<FloatType, FloatArray>> channels = new ArrayList<>();
            for (float[] p : r.probabilities()) {
                channels.add(ArrayImgs.floats(p, shape));
            }
            probs = new Image(channels, pre.originalGeometry());
        }
        return new Prediction(new LabelImage(labels, pre.originalGeometry()), probs, r.labels(), 0);
    }

    private static long[] toLong(int[] v) {
        return new long[] {v[0], v[1], v[2]};
    }
}

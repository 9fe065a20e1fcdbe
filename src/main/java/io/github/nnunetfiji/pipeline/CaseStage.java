package io.github.nnunetfiji.pipeline;

import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.inference.CasePredictor;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.CaseHeader;
import io.github.nnunetfiji.preprocess.CasePreprocessor;
import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * One case in memory, no file in between: ImgLib2 images in, the network's input out, and the
 * way back for predictions, for a script that runs a network of its own. The file-based
 * {@link PreprocessStage} stores exactly what {@link #preprocess} returns (it runs the same
 * {@link CasePreprocessor}), and {@link #restore} is the predictor's own way back
 * ({@link CasePredictor#restore}). To segment an image with a trained model, use
 * {@link SegmentStage}: the in-memory path the folder predictor runs for every case.
 *
 * <p>Arrays cross into ImgLib2 only through {@link FlatArrays}: inputs that are float array images
 * are used without a copy (and not changed), others are copied once; outputs are array images
 * over the computed arrays.
 */
public final class CaseStage {

    private final Plans plans;
    private final PlanConfiguration config;
    private final int threads;

    /**
     * @param plans         the plans (statistics, normalization, spacing)
     * @param configuration a planned configuration, e.g. {@code 3d_fullres}
     * @param threads       threads for resampling
     * @throws IllegalArgumentException if the configuration is not planned (the message lists those that are)
     */
    public CaseStage(Plans plans, String configuration, int threads) {
        PreprocessStage.checkConfigurations(plans, List.of(configuration));
        this.plans = plans;
        this.config = plans.configuration(configuration);
        this.threads = Math.max(1, threads);
    }

    /** A preprocessed case: the network's input, the resampled labels if any, and the header. */
    public record Preprocessed(CasePreprocessor.StoredCase stored) {

        /** One image per channel at the configuration's spacing (x, y, z), views over the computed arrays. */
        public List<RandomAccessibleInterval<FloatType>> networkInput() {
            List<RandomAccessibleInterval<FloatType>> out = new ArrayList<>();
            for (float[] ch : stored.channels()) {
                out.add(FlatArrays.floatView(ch, stored.image().shape()));
            }
            return out;
        }

        /** The resampled labels (-1 nowhere yet; class values), or null for a case without labels. */
        public RandomAccessibleInterval<ByteType> labels() {
            return stored.labels() == null ? null : FlatArrays.byteView(stored.labels(), stored.image().shape());
        }

        /** What the file-based stage stores as {@code CASE.json}. */
        public CaseHeader header() {
            return stored.header();
        }

        /** The spacing of the network's input. */
        public double[] spacing() {
            return stored.image().spacing();
        }
    }

    /**
     * @param labels     one-channel label map in the original geometry (x fastest)
     * @param probabilities one image per class in the original geometry, or null if not asked for
     */
    public record Restored(LabelImage labels, List<RandomAccessibleInterval<FloatType>> probabilities) {
    }

    /**
     * Preprocesses image channels given only their spacing (axes x, y, z as {@link
     * io.github.nnunetfiji.image.AxisOrder} says; no rotation, origin 0).
     */
    public Preprocessed preprocess(List<? extends RandomAccessibleInterval<? extends RealType<?>>> channels,
            double... spacing) {
        return preprocess("image", new Image(channels, Geometry.ofSpacing(spacing)), null);
    }

    /**
     * Preprocesses a case as the file-based stage does.
     *
     * @param id     the case's name (messages, and the seed of the class location sample)
     * @param image  all channels with their geometry
     * @param labels the label map on the image's grid, or null
     * @throws IllegalArgumentException if the channel count is not the plan's or the labels do not fit
     */
    public Preprocessed preprocess(String id, Image image, LabelImage labels) {
        byte[] l = null;
        if (labels != null) {
            if (!java.util.Arrays.equals(labels.shape(), image.shape())) {
                throw new IllegalArgumentException("case " + id + ": the label map's shape differs from the image's");
            }
            l = FlatArrays.toLabelBytes(labels.labels(), PreprocessedCase.MAX_LABEL);
        }
        return new Preprocessed(new CasePreprocessor(plans, config, threads).preprocess(id, image, l));
    }

    /**
     * The inverse for predictions: class probabilities at the network's spacing back to the
     * original geometry (resampled to the cropped shape by the reference's rule, argmax, uncropped
     * with background outside the crop box): {@link CasePredictor#restore}, the code every prediction
     * runs.
     *
     * @param probabilities one image per class, in the shape of {@link Preprocessed#networkInput()}
     * @param preprocessed  the preprocessed case they were predicted from
     * @param keepProbabilities also return the probabilities in the original geometry
     */
    public Restored restore(List<? extends RandomAccessibleInterval<? extends RealType<?>>> probabilities,
            Preprocessed preprocessed, boolean keepProbabilities, Progress progress) {
        float[][] p = new float[probabilities.size()][];
        for (int k = 0; k < p.length; k++) {
            // The export only reads these arrays (it resamples into new ones), so sharing is safe.
            p[k] = FlatArrays.floatsSharing(probabilities.get(k));
        }
        CasePredictor.Prediction r = CasePredictor.restore(p, preprocessed.stored().image(), config, keepProbabilities,
                threads, progress);
        List<RandomAccessibleInterval<FloatType>> probs = null;
        if (r.probabilities() != null) {
            probs = new ArrayList<>();
            for (RandomAccessibleInterval<? extends RealType<?>> c : r.probabilities().channels()) {
                // Float array images over the computed arrays: views, no copy.
                probs.add(FlatArrays.floatView(FlatArrays.floatsSharing(c), FlatArrays.shape(c)));
            }
        }
        return new Restored(r.labels(), probs);
    }
}

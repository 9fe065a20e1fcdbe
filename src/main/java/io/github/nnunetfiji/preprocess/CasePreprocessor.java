package io.github.nnunetfiji.preprocess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.io.ImageFileException;
import io.github.nnunetfiji.normalization.NormalizationSchemes;
import io.github.nnunetfiji.plan.ChannelNormalization;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;

/**
 * Preprocesses one case for one configuration, exactly as the plan says: crop to the nonzero
 * region, normalize each channel (inside the nonzero mask where the plan says so), resample to
 * the target spacing (cubic for images, the plan's label rule for labels, the anisotropic axis
 * separately), sample class locations, and store the result ({@link PreprocessedCase}).
 * Normalization comes before resampling, as in the reference, so masked statistics use the
 * original voxels.
 */
public final class CasePreprocessor {

    private final Plans plans;
    private final PlanConfiguration config;
    private final VolumeResampler resampler;
    private final LabelResampler labelResampler;

    /** @param threads threads for resampling this case */
    public CasePreprocessor(Plans plans, PlanConfiguration config, int threads) {
        this.plans = plans;
        this.config = config;
        this.resampler = new VolumeResampler(threads);
        this.labelResampler = new LabelResampler(threads);
    }

    /** The signature stored with each case; a resumed run reuses a case only if it matches. */
    public String planSignature() {
        StringBuilder sb = new StringBuilder(config.dataIdentifier()).append(" spacing ")
                .append(AxisOrder.format(config.spacing()));
        for (ChannelNormalization n : config.normalization()) {
            sb.append(' ').append(n.scheme()).append(n.useNonzeroMask() ? "+mask" : "");
            if (ChannelNormalization.CT.equals(n.scheme())) {
                // CT uses the data set's statistics: new statistics must redo the cases.
                ChannelIntensityStatistics s = plans.foregroundIntensity().get(n.channel());
                sb.append(String.format(Locale.ROOT, "(%s,%s,%s,%s)", s.mean(), s.std(), s.percentile00_5(),
                        s.percentile99_5()));
            }
        }
        sb.append(String.format(Locale.ROOT, " orders %d/%d/%d threshold %s", config.imageResamplingOrder(),
                config.labelResamplingOrder(), config.outOfPlaneResamplingOrder(), config.anisotropyThreshold()));
        return sb.toString();
    }

    /**
     * A case preprocessed in memory: exactly what {@link #process} stores.
     *
     * @param header what {@code CASE.json} holds
     * @param image  the network's input and the way back to the original geometry
     * @param labels the resampled labels (x fastest), or null for a case without labels
     */
    public record StoredCase(CaseHeader header, PreprocessedImage image, byte[] labels) {

        /** The normalized, resampled channels, x fastest (not copied). */
        public float[][] channels() {
            return image.channels();
        }
    }

    /** Reads a case, preprocesses it ({@link #preprocess(String, Image, byte[])}) and writes it into {@code outDir}; returns its header. */
    public CaseHeader process(CaseEntry c, Path outDir) throws IOException {
        byte[] labels = null;
        long[] labelShape = null;
        if (c.labelFile() != null) {
            LabelImage li = c.readLabel();
            labelShape = li.shape();
            try {
                labels = FlatArrays.toLabelBytes(li.labels(), PreprocessedCase.MAX_LABEL);
            } catch (IllegalArgumentException e) {
                throw new ImageFileException(c.labelFile(), e.getMessage(), e);
            }
        }
        // No local keeps the image: preprocess() can free its arrays as soon as they are cropped.
        StoredCase stored = preprocess(c.id(), readChecked(c, labelShape), labels);
        PreprocessedCase.write(outDir, stored.header(), stored.channels(), stored.labels());
        return stored.header();
    }

    /** The case's image, checked against the plan's channel count and the label map's shape, naming the file. */
    private Image readChecked(CaseEntry c, long[] labelShape) throws IOException {
        Image image = c.readImage();
        int channels = image.channelCount();
        if (channels != config.normalization().size()) {
            throw new ImageFileException(c.imageFiles().get(0), "case " + c.id() + " has " + channels
                    + " channel(s) but the plan normalizes " + config.normalization().size()
                    + "; validate the data set and plan it again");
        }
        if (labelShape != null && !java.util.Arrays.equals(labelShape, image.shape())) {
            throw new ImageFileException(c.labelFile(), "label shape " + AxisOrder.format(labelShape)
                    + " differs from the image's " + AxisOrder.format(image.shape()) + "; run validate for details");
        }
        return image;
    }

    /**
     * Preprocesses a training case in memory, as {@link #process} stores it: crop, normalize,
     * resample image and labels, sample class locations. The image is not changed; its arrays
     * are shared where they are float already and released as soon as they are cropped, so a
     * caller that drops its own reference holds one copy of the case at a time.
     *
     * @param labels label values per voxel of the image (x fastest), or null for a test case
     * @throws IllegalArgumentException if the channel count is not the plan's or the labels do not fit the image
     */
    public StoredCase preprocess(String id, Image image, byte[] labels) {
        int channels = image.channelCount();
        if (channels != config.normalization().size()) {
            throw new IllegalArgumentException("case " + id + " has " + channels + " channel(s) but the plan normalizes "
                    + config.normalization().size() + " (" + String.join(", ", plans.channelNames()) + ")");
        }
        if (labels != null && labels.length != image.voxelCount()) {
            throw new IllegalArgumentException("case " + id + ": " + labels.length + " labels for "
                    + image.voxelCount() + " voxels");
        }
        // Possibly the image's own storage: the crop below copies before anything is written.
        float[][] data = new float[channels][];
        for (int ch = 0; ch < channels; ch++) {
            data[ch] = FlatArrays.floatsSharing(image.channel(ch));
        }
        Geometry geometry = image.geometry();
        long[] imageShape = image.shape();
        image = null; // from here on only data[] holds the voxels, so crops can free the originals
        byte[][] labelsInOut = {labels};
        PreprocessedImage p = run(data, imageShape, geometry, labelsInOut);
        labels = labelsInOut[0];
        CaseHeader h = new CaseHeader();
        h.id = id;
        h.planSignature = planSignature();
        h.shape = p.shape();
        h.channels = channels;
        h.spacing = p.spacing();
        h.originalShape = imageShape;
        h.originalSpacing = geometry.spacing();
        h.originalAffine = geometry.affine();
        int[] min = p.cropMin();
        int[] cropped = p.croppedShape();
        h.cropMin = new long[] {min[0], min[1], min[2]};
        h.cropMaxExclusive = new long[] {min[0] + cropped[0], min[1] + cropped[1], min[2] + cropped[2]};
        if (labels != null) {
            h.hasLabels = true;
            h.outsideMarked = masksNormalization();
            h.classLocations.putAll(ClassLocations.sample(labels, id.hashCode() * 31L + 1234));
        }
        return new StoredCase(h, p, labels);
    }

    /**
     * Preprocesses an image in memory exactly as {@link #process} does for training (crop,
     * normalize, resample), for prediction. The image is not changed.
     *
     * @throws IllegalArgumentException if its channel count is not the plan's
     */
    public PreprocessedImage preprocess(Image image) {
        int channels = image.channelCount();
        if (channels != config.normalization().size()) {
            throw new IllegalArgumentException("The image has " + channels + " channel(s) but the model takes "
                    + config.normalization().size() + " (" + String.join(", ", plans.channelNames())
                    + "); give the channels in that order");
        }
        float[][] data = new float[channels][];
        for (int ch = 0; ch < channels; ch++) {
            // Possibly the image's own storage: the crop below copies before anything is written.
            data[ch] = FlatArrays.floatsSharing(image.channel(ch));
        }
        return run(data, image.shape(), image.geometry(), new byte[][] {null});
    }

    /**
     * Crop, normalize and resample; {@code labels[0]}, if not null, is cropped and resampled along
     * with the image and replaced. Entries of {@code data} are replaced, never written into.
     */
    private PreprocessedImage run(float[][] data, long[] imageShape, Geometry geometry, byte[][] labels) {
        int channels = data.length;
        int[] shape = {Math.toIntExact(imageShape[0]), Math.toIntExact(imageShape[1]), Math.toIntExact(imageShape[2])};
        NonzeroRegion region = NonzeroRegion.of(data, shape);
        int[] cropped = region.croppedShape();
        boolean[] mask = region.crop(region.mask());
        for (int ch = 0; ch < channels; ch++) {
            data[ch] = region.crop(data[ch]);
        }
        if (labels[0] != null) {
            labels[0] = region.crop(labels[0]);
            if (masksNormalization()) {
                markOutside(labels[0], mask);
            }
        }
        for (int ch = 0; ch < channels; ch++) {
            normalize(ch, data[ch], mask);
        }

        double[] spacing = geometry.spacing();
        double[] target = ResamplingRule.targetSpacing(config, spacing);
        int[] newShape = ResamplingRule.newShape(cropped, spacing, target);
        int separate = ResamplingRule.separateAxis(spacing, target, config.anisotropyThreshold());
        for (int ch = 0; ch < channels; ch++) {
            data[ch] = resampler.resampleImage(data[ch], cropped, newShape, config.imageResamplingOrder(), separate,
                    config.outOfPlaneResamplingOrder());
        }
        if (labels[0] != null) {
            LabelResampler.Mode mode = config.labelResamplingOrder() == 0 ? LabelResampler.Mode.NEAREST
                    : LabelResampler.Mode.ONE_HOT_LINEAR;
            labels[0] = labelResampler.resample(labels[0], cropped, newShape, mode, separate);
        }
        return new PreprocessedImage(data, newShape, target, region.min(), cropped, imageShape, geometry);
    }

    /** True if some channel is z-scored inside the nonzero mask only. */
    private boolean masksNormalization() {
        return config.normalization().stream().anyMatch(ChannelNormalization::useNonzeroMask);
    }

    /**
     * Marks background outside the nonzero mask with {@link PreprocessedCase#OUTSIDE} and widens
     * the mask to every voxel not so marked, as the reference does: it normalizes where the
     * label is at least 0, which includes labelled voxels outside the nonzero mask. Training uses
     * the mark to zero the outside again after spatial augmentation, and counts it as background.
     */
    static void markOutside(byte[] labels, boolean[] mask) {
        for (int i = 0; i < labels.length; i++) {
            if (!mask[i]) {
                if (labels[i] == 0) {
                    labels[i] = PreprocessedCase.OUTSIDE;
                } else {
                    mask[i] = true;
                }
            }
        }
    }

    private void normalize(int ch, float[] data, boolean[] mask) {
        ChannelNormalization n = config.normalization().get(ch);
        List<ChannelIntensityStatistics> stats = plans.foregroundIntensity();
        NormalizationSchemes.byName(n.scheme()).normalize(data, n.useNonzeroMask() ? mask : null,
                ch < stats.size() ? stats.get(ch) : null);
    }
}

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

    /** Preprocesses a case and writes it into {@code outDir}; returns its header. */
    public CaseHeader process(CaseEntry c, Path outDir) throws IOException {
        Image image = c.readImage();
        int channels = image.channelCount();
        if (channels != config.normalization().size()) {
            throw new ImageFileException(c.imageFiles().get(0), "case " + c.id() + " has " + channels
                    + " channel(s) but the plan normalizes " + config.normalization().size()
                    + "; validate the data set and plan it again");
        }
        // The image was read for this case alone: take over its arrays instead of copying them.
        float[][] data = new float[channels][];
        for (int ch = 0; ch < channels; ch++) {
            data[ch] = FlatArrays.floatsSharing(image.channel(ch));
        }
        Geometry geometry = image.geometry();
        long[] imageShape = image.shape();
        image = null; // from here on only data[] holds the voxels, so crops can free the originals
        byte[] labels = null;
        if (c.labelFile() != null) {
            LabelImage li = c.readLabel();
            if (!java.util.Arrays.equals(li.shape(), imageShape)) {
                throw new ImageFileException(c.labelFile(), "label shape " + AxisOrder.format(li.shape())
                        + " differs from the image's " + AxisOrder.format(imageShape) + "; run validate for details");
            }
            try {
                labels = FlatArrays.toLabelBytes(li.labels(), PreprocessedCase.MAX_LABEL);
            } catch (IllegalArgumentException e) {
                throw new ImageFileException(c.labelFile(), e.getMessage(), e);
            }
        }
        byte[][] labelsInOut = {labels};
        PreprocessedImage p = run(data, imageShape, geometry, labelsInOut);
        labels = labelsInOut[0];
        CaseHeader h = new CaseHeader();
        h.id = c.id();
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
            h.classLocations.putAll(ClassLocations.sample(labels, c.id().hashCode() * 31L + 1234));
        }
        PreprocessedCase.write(outDir, h, p.channels(), labels);
        return h;
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
        if (ChannelNormalization.CT.equals(n.scheme())) {
            List<ChannelIntensityStatistics> stats = plans.foregroundIntensity();
            ChannelIntensityStatistics s = stats.get(ch);
            Normalizers.ct(data, s.mean(), s.std(), s.percentile00_5(), s.percentile99_5());
        } else {
            Normalizers.zScore(data, n.useNonzeroMask() ? mask : null);
        }
    }
}

package io.github.nnunetfiji.train.data;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.train.augment.AugmentationOptions;
import io.github.nnunetfiji.train.augment.SampleAugmenter;

/**
 * Makes batch number i from (seed, i) alone: each slot draws its case, its box and its
 * augmentation from its own random stream. One instance per thread (scratch buffers).
 */
final class BatchMaker {

    private final SamplingPlan plan;
    private final CaseCache cases;
    private final List<String> caseIds;
    private final long seed;
    private final int forcedFrom;
    private final SampleAugmenter augmenter;
    private final float[] image;
    private final byte[] labels;
    private final int[] box = new int[3];

    BatchMaker(SamplingPlan plan, DataOptions options, CaseCache cases, List<String> caseIds, long seed) {
        this.plan = plan;
        this.cases = cases;
        this.caseIds = caseIds;
        this.seed = seed;
        this.forcedFrom = plan.batchSize - SamplingPlan.forcedSlots(plan.batchSize, options.foregroundFraction());
        AugmentationOptions aug = plan.forValidation ? AugmentationOptions.none() : options.augmentation();
        this.augmenter = new SampleAugmenter(aug, plan.mode, plan.patch, plan.loaderPatch, plan.rotationMax,
                plan.mirrorAxes, plan.channels, plan.forValidation ? null : plan.maskChannels, plan.previousChannels);
        this.image = new float[plan.inputChannels * plan.sampleVoxels()];
        this.labels = new byte[plan.sampleVoxels()];
    }

    Batch make(long index) {
        int b = plan.batchSize;
        int voxels = plan.sampleVoxels();
        int channels = plan.inputChannels;
        float[] images = new float[b * voxels * channels];
        byte[] batchLabels = new byte[b * voxels];
        for (int slot = 0; slot < b; slot++) {
            SplittableRandom rng = new SplittableRandom(Seeds.forSample(seed, index, slot));
            String id = caseIds.get(rng.nextInt(caseIds.size()));
            PreprocessedCase pc;
            PreviousStagePatchSource previous = null;
            try {
                pc = cases.get(id);
                if (plan.previousStage != null) {
                    previous = new PreviousStagePatchSource(cases.previous(id));
                }
            } catch (IOException e) {
                throw new BatchLoadingException("Cannot read preprocessed case " + id + ": " + e.getMessage(), e);
            }
            StorePatchSource source = new StorePatchSource(pc, plan.planAxis);
            int[] centre = slot >= forcedFrom ? PatchSampler.foregroundVoxel(pc.header(), plan.ignoreLabel, plan.planAxis, rng)
                    : null;
            PatchSampler.boxStart(source.shape(), plan.patch, plan.loaderPatch, centre, rng, box);
            try {
                augmenter.sample(source, previous, box, rng, image, labels);
            } catch (RuntimeException e) {
                throw new BatchLoadingException("Cannot make a training sample from case " + id + ": " + e, e);
            }
            // Planar channels to the engine's channels-last layout.
            int base = slot * voxels;
            for (int c = 0; c < channels; c++) {
                int off = c * voxels;
                int dst = base * channels + c;
                for (int i = 0; i < voxels; i++, dst += channels) {
                    images[dst] = image[off + i];
                }
            }
            System.arraycopy(labels, 0, batchLabels, base, voxels);
        }
        return new Batch(b, plan.networkShape, channels, images, batchLabels);
    }
}

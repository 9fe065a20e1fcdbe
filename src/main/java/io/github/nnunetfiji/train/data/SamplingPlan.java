package io.github.nnunetfiji.train.data;

import java.util.List;

import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.plan.ChannelNormalization;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.train.augment.AugmentationOptions;
import io.github.nnunetfiji.train.augment.SpatialMode;

/**
 * Where and how patches are cut for one configuration, in "sample space": three axes, the
 * network's axes first (for 2D: the two in-plane axes, then the slice axis with extent 1), so that
 * a plan-space box read from the store lands in sample-space order without copying.
 */
final class SamplingPlan {

    final int batchSize;
    /** Image channels of the data set. */
    final int channels;
    /** The configuration whose segmentation is extra input (the cascade's first stage), or null. */
    final String previousStage;
    /** One-hot channels of that segmentation (one per foreground class), else 0. */
    final int previousChannels;
    /** Channels of a batch: the image's, then the previous stage's. */
    final int inputChannels;
    /** Classes the network predicts (background included, the ignore label excluded). */
    final int classes;
    /** Label value excluded from the loss, or -1. */
    final int ignoreLabel;
    /** Channels whose normalization used the nonzero mask: zeroed where the label is -1 after augmentation. */
    final boolean[] maskChannels;
    /** Plan axis of each sample axis. */
    final int[] planAxis = new int[3];
    /** Network patch, sample space (2D: third entry 1). */
    final int[] patch;
    /** Patch read from the case before the spatial transform (enlarged for rotation and scaling). */
    final int[] loaderPatch;
    /** Spatial shape of a batch sample in network axes (2 or 3 entries). */
    final int[] networkShape;
    final SpatialMode mode;
    /** Mirrored axes (sample space). */
    final int[] mirrorAxes;
    /** Rotation range in radians (+-). */
    final double rotationMax;
    final boolean forValidation;

    SamplingPlan(Plans plans, String configuration, AugmentationOptions aug, boolean forValidation) {
        PlanConfiguration c = plans.configuration(configuration);
        NetworkSpec spec = new PlanNetworkAdapter().spec(plans, configuration);
        this.forValidation = forValidation;
        batchSize = c.batchSize();
        channels = plans.channelNames().size();
        classes = spec.classes();
        previousStage = c.previousStage();
        previousChannels = previousStage != null ? classes - 1 : 0;
        inputChannels = channels + previousChannels;
        if (inputChannels != spec.inputChannels()) {
            throw new IllegalStateException("The network takes " + spec.inputChannels() + " channels, the loader makes "
                    + inputChannels);
        }
        ignoreLabel = spec.loss().ignoreLabel();
        maskChannels = new boolean[channels];
        List<ChannelNormalization> norms = c.normalization();
        for (ChannelNormalization n : norms) {
            if (n.channel() >= 0 && n.channel() < channels) {
                maskChannels[n.channel()] = n.useNonzeroMask();
            }
        }
        int[] net = PlanNetworkAdapter.networkAxes(c);
        networkShape = PlanNetworkAdapter.networkPatch(c);
        long[] planPatch = c.patchSize();
        patch = new int[3];
        if (net.length == 2) {
            planAxis[0] = net[0];
            planAxis[1] = net[1];
            planAxis[2] = c.sliceAxis();
        } else {
            for (int d = 0; d < 3; d++) {
                planAxis[d] = d;
            }
        }
        for (int d = 0; d < 3; d++) {
            patch[d] = Math.toIntExact(planPatch[planAxis[d]]);
        }
        if (net.length == 2) {
            mode = SpatialMode.slicewise(2);
            mirrorAxes = new int[] {0, 1};
        } else if (c.augmentation2D() && c.augmentationSliceAxis() != null) {
            mode = SpatialMode.slicewise(c.augmentationSliceAxis());
            mirrorAxes = new int[] {0, 1, 2};
        } else {
            mode = SpatialMode.volume();
            mirrorAxes = new int[] {0, 1, 2};
        }
        rotationMax = Math.toRadians(rotationDegrees(aug, mode, patch));
        loaderPatch = forValidation || !aug.spatial() ? patch.clone()
                : enlargedPatch(patch, mode, rotationMax, 0.85);
    }

    /** The reference's rotation range for a configuration, in degrees, unless the options set one. */
    static double rotationDegrees(AugmentationOptions aug, SpatialMode mode, int[] patch) {
        if (!Double.isNaN(aug.rotationDegrees())) {
            return aug.rotationDegrees();
        }
        if (mode.isVolume()) {
            return 30;
        }
        if (mode.sliceAxis() == 2 && patch[2] == 1) {
            // A 2D network: a strongly oblong patch is rotated only a little.
            int a = patch[0];
            int b = patch[1];
            return (double) Math.max(a, b) / Math.min(a, b) > 1.5 ? 15 : 180;
        }
        return 180;
    }

    /**
     * The reference's enlarged loader patch: the patch vector rotated by the (at most 90 degree)
     * range about each rotation axis in turn, element-wise maximum of the absolute values, divided
     * by the smallest scale (the reference uses 0.85 there, not its scaling range's 0.7), truncated.
     * Slice-wise, the slice axis keeps its edge. The reference's axis order is ours reversed
     * (z, y, x); the rotations use its row-vector convention, which matters for oblong patches.
     */
    static int[] enlargedPatch(int[] patch, SpatialMode mode, double rotationMax, double minScale) {
        double r = Math.min(rotationMax, Math.PI / 2);
        double[] out = new double[3];
        if (mode.isVolume()) {
            // reference order (a0, a1, a2) = (z, y, x)
            double[] p = {patch[2], patch[1], patch[0]};
            double[] m = p.clone();
            for (int axis = 0; axis < 3; axis++) {
                double[] q = rotateRowVector(p, axis, r);
                for (int d = 0; d < 3; d++) {
                    m[d] = Math.max(m[d], Math.abs(q[d]));
                }
            }
            out[0] = m[2];
            out[1] = m[1];
            out[2] = m[0];
        } else {
            int s = mode.sliceAxis();
            int u = s == 0 ? 1 : 0;
            int v = s == 2 ? 1 : 2;
            // reference 2D order (a0, a1) = (v, u); one rotation
            double c = Math.cos(r);
            double sn = Math.sin(r);
            double p0 = patch[v];
            double p1 = patch[u];
            // row vector times [[c, -s], [s, c]]
            double q0 = p0 * c + p1 * sn;
            double q1 = -p0 * sn + p1 * c;
            out[v] = Math.max(p0, Math.abs(q0));
            out[u] = Math.max(p1, Math.abs(q1));
            out[s] = patch[s] * minScale; // reset below
        }
        int[] e = new int[3];
        for (int d = 0; d < 3; d++) {
            e[d] = (int) (out[d] / minScale);
        }
        if (!mode.isVolume()) {
            e[mode.sliceAxis()] = patch[mode.sliceAxis()];
        }
        return e;
    }

    /** p (row vector) times the reference's rotation matrix about {@code axis}. */
    private static double[] rotateRowVector(double[] p, int axis, double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        double[][] m;
        if (axis == 0) {
            m = new double[][] {{1, 0, 0}, {0, c, -s}, {0, s, c}};
        } else if (axis == 1) {
            m = new double[][] {{c, 0, s}, {0, 1, 0}, {-s, 0, c}};
        } else {
            m = new double[][] {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
        }
        double[] q = new double[3];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 3; i++) {
                q[j] += p[i] * m[i][j];
            }
        }
        return q;
    }

    /** Number of slots forced to foreground, the last ones of the batch (see {@link DataOptions#foregroundFraction()}). */
    static int forcedSlots(int batchSize, double fraction) {
        int reference = batchSize - (int) Math.rint(batchSize * (1 - fraction));
        int atLeast = (int) Math.ceil(batchSize * fraction - 1e-9);
        return Math.min(batchSize, Math.max(reference, atLeast));
    }

    /** Voxels of one sample. */
    int sampleVoxels() {
        return patch[0] * patch[1] * patch[2];
    }
}

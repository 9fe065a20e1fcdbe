package io.github.nnunetfiji.plan;

import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.OptimizerSpec;
import io.github.nnunetfiji.engine.LossSpec;

/**
 * Turns one configuration of the plan into the {@link NetworkSpec} an engine builds: the only place
 * where plan terms become network terms, so engines never read plans.
 *
 * <p>Taken from the plan: dimensions, feature maps, kernels and strides per stage, convolutions per
 * stage, batch or per-sample Dice, and the schedule length (epochs x iterations). Input channels are
 * the data set's channels; the cascade's second stage adds one channel per foreground class for the
 * one-hot stage-1 segmentation. Classes are the data set's labels; a label named {@code ignore}
 * (the highest value, as in the reference) becomes the loss's ignore label instead of a class.
 *
 * <p>Not in the plan, so the reference's defaults apply (callers may build a changed copy with
 * {@link NetworkSpec#toBuilder()}):
 * strided-convolution downsampling, deep supervision, a Dice term without the background class,
 * SGD with Nesterov momentum 0.99, lr 0.01 and a polynomial decay stepped once per epoch.
 *
 * <p>A 2D configuration plans per-axis vectors with three entries and 1 along its slice axis; the
 * 2D network's axes are the two in-plane axes in increasing order ({@link #networkAxes}), so slices
 * cut across z are (x, y), across x are (y, z).
 */
public class PlanNetworkAdapter {

    /** The label name the reference reserves for voxels excluded from the loss. */
    public static final String IGNORE_LABEL_NAME = "ignore";

    /**
     * The network for configuration {@code configuration} of {@code plans}.
     *
     * @throws IllegalArgumentException if the plan has no such configuration, or its labels are not
     *                                  0 .. n-1 (with at most a final {@code ignore})
     */
    public NetworkSpec spec(Plans plans, String configuration) {
        PlanConfiguration c = plans.configuration(configuration);
        NetworkSpec.Builder s = NetworkSpec.builder();
        int[] axes = networkAxes(c);
        s.dims(axes.length);
        int ignore = ignoreLabel(plans.labels());
        int classes = classes(plans.labels(), ignore);
        s.classes(classes);
        int foregroundClasses = classes - 1;
        if (ignore >= 0 && ignore != classes) {
            throw new IllegalArgumentException("The label named 'ignore' must directly follow the last class ("
                    + classes + "), but it is " + ignore + "; renumber it in dataset.json and the "
                    + "label files");
        }
        s.inputChannels(plans.channelNames().size() + (c.previousStage() != null ? foregroundClasses : 0));
        s.features(c.featuresPerStage());
        int[][] kernels = c.kernelSizes();
        int[][] strides = c.strides();
        int[][] kernelSizes = new int[kernels.length][];
        int[][] poolStrides = new int[kernels.length - 1][];
        for (int stage = 0; stage < kernels.length; stage++) {
            kernelSizes[stage] = pick(kernels[stage], axes);
            if (stage > 0) {
                poolStrides[stage - 1] = pick(strides[stage], axes);
            }
        }
        s.kernelSizes(kernelSizes).poolStrides(poolStrides);
        s.convolutionsPerStage(c.convolutionsPerStage());
        s.downsampling(downsampling(c));
        s.deepSupervision(deepSupervision(c));
        s.loss(LossSpec.defaults().withIgnoreLabel(ignore).withBatchDice(c.batchDice())
                .withDiceIncludesBackground(diceIncludesBackground(c)));
        s.optimizer(optimizer(c));
        return s.build().validate();
    }

    /** Downsampling; the reference's strided convolutions (pooling is the paper's alternative). */
    protected NetworkSpec.Downsampling downsampling(PlanConfiguration c) {
        return NetworkSpec.Downsampling.STRIDED_CONV;
    }

    /**
     * Whether the Dice term counts the background class. The reference leaves it out (do_bg=False,
     * in both its versions): the foreground classes then carry the whole Dice gradient instead of
     * sharing it with an easy, dominant background; on a two-class set that doubles their weight.
     */
    protected boolean diceIncludesBackground(PlanConfiguration c) {
        return false;
    }

    /** Deep supervision on the decoder's lower resolutions (reference default). */
    protected boolean deepSupervision(PlanConfiguration c) {
        return true;
    }

    /** SGD Nesterov with the reference's per-epoch polynomial decay over the planned epochs. */
    protected OptimizerSpec optimizer(PlanConfiguration c) {
        return OptimizerSpec.sgdNesterovPerEpoch(c.numEpochs(), c.iterationsPerEpoch());
    }

    /**
     * The plan axes the network sees, in network order: all three for 3D, the in-plane axes in
     * increasing order for 2D.
     */
    public static int[] networkAxes(PlanConfiguration c) {
        int planAxes = c.kernelSizes()[0].length;
        Integer slice = c.is2D() ? c.sliceAxis() : null;
        if (c.is2D() && slice == null) {
            throw new IllegalArgumentException("2D configuration " + c.name() + " names no slice axis");
        }
        int[] axes = new int[slice == null ? planAxes : planAxes - 1];
        for (int a = 0, i = 0; a < planAxes; a++) {
            if (slice == null || a != slice) {
                axes[i++] = a;
            }
        }
        return axes;
    }

    /** The network's patch edges (network axis order) for the configuration's planned patch. */
    public static int[] networkPatch(PlanConfiguration c) {
        long[] patch = c.patchSize();
        int[] axes = networkAxes(c);
        int[] p = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            p[i] = Math.toIntExact(patch[axes[i]]);
        }
        return p;
    }

    private static int[] pick(int[] perPlanAxis, int[] axes) {
        int[] v = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            v[i] = perPlanAxis[axes[i]];
        }
        return v;
    }

    /** Classes the network predicts (background included, the ignore label excluded). */
    static int classes(SortedMap<Integer, String> labels, int ignore) {
        int expected = 0;
        for (Map.Entry<Integer, String> e : labels.entrySet()) {
            if (e.getKey() == ignore) {
                continue;
            }
            if (e.getKey() != expected) {
                throw new IllegalArgumentException("The plan's labels must be 0, 1, 2, ... without gaps, but "
                        + expected + " is missing (labels " + labels.keySet() + "); renumber the labels in "
                        + "dataset.json and the label files");
            }
            expected++;
        }
        if (expected < 2) {
            throw new IllegalArgumentException("The plan needs background and at least one class, got labels "
                    + labels.keySet());
        }
        return expected;
    }

    /** The value of the label named {@code ignore}, or -1; it must be the highest label. */
    static int ignoreLabel(SortedMap<Integer, String> labels) {
        for (Map.Entry<Integer, String> e : labels.entrySet()) {
            if (IGNORE_LABEL_NAME.equals(e.getValue().trim().toLowerCase(Locale.ROOT))) {
                if (!e.getKey().equals(labels.lastKey())) {
                    throw new IllegalArgumentException("The label named 'ignore' (" + e.getKey()
                            + ") must have the highest value, as in the reference; renumber it to "
                            + labels.lastKey() + " or above");
                }
                return e.getKey();
            }
        }
        return -1;
    }
}

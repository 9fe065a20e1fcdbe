package io.github.nnunetfiji.engine.tf;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Index;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

import io.github.nnunetfiji.engine.LossSpec;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.TensorLayout;

/**
 * Soft Dice + cross-entropy (METHOD.md section 5), summed over deep-supervision levels with the
 * reference's weights 1/2^i, normalized. Lower levels compare against the labels subsampled
 * (nearest neighbour) by the level's cumulative stride.
 */
final class LossBuilder {

    private final Ops tf;
    private final NetworkSpec spec;
    private final TfLayout layout;

    LossBuilder(Ops tf, NetworkSpec spec) {
        this.tf = tf;
        this.spec = spec;
        this.layout = new TfLayout(spec.dims());
    }

    /** Deep-supervision weights for {@code levels} outputs: 1/2^i normalized to sum 1. */
    static double[] levelWeights(int levels) {
        double[] w = new double[levels];
        double sum = 0;
        for (int i = 0; i < levels; i++) {
            w[i] = Math.pow(0.5, i);
            sum += w[i];
        }
        for (int i = 0; i < levels; i++) {
            w[i] /= sum;
        }
        return w;
    }

    Operand<TFloat32> loss(List<Operand<TFloat32>> logitsByLevel, Operand<TUint8> labels) {
        Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(spec.classes()), tf.constant(1f), tf.constant(0f));
        double[] weights = levelWeights(logitsByLevel.size());
        Operand<TFloat32> total = null;
        for (int level = 0; level < logitsByLevel.size(); level++) {
            Operand<TFloat32> target = level == 0 ? oneHot : subsample(oneHot, spec.cumulativeStride(level));
            Operand<TFloat32> l = levelLoss(logitsByLevel.get(level), target);
            if (logitsByLevel.size() > 1) {
                l = tf.math.mul(l, tf.constant((float) weights[level]));
            }
            total = total == null ? l : tf.math.add(total, l);
        }
        return tf.identity(total);
    }

    private Operand<TFloat32> subsample(Operand<TFloat32> x, int[] stride) {
        List<Index> idx = new ArrayList<>();
        idx.add(Indices.all());
        for (long s : TensorLayout.toTensorOrder(stride)) {
            idx.add(Indices.sliceFrom(0, s));
        }
        idx.add(Indices.all());
        return tf.stridedSlice(x, idx.toArray(new Index[0]));
    }

    /**
     * The loss of one output level. With an ignore label, whose one-hot row is all zeros, the
     * voxels to count are those whose target sums to 1: they alone enter the cross-entropy mean
     * and the Dice sums of the predictions.
     */
    private Operand<TFloat32> levelLoss(Operand<TFloat32> logits, Operand<TFloat32> target) {
        LossSpec ls = spec.loss();
        Operand<TFloat32> counted = ls.ignoreLabel() >= 0
                ? tf.sum(target, tf.constant(spec.dims() + 1), Sum.keepDims(true)) : null;
        Operand<TFloat32> loss = null;
        if (ls.crossEntropyWeight() != 0) {
            Operand<TFloat32> ce = crossEntropy(logits, target, counted);
            loss = ls.crossEntropyWeight() == 1 ? ce : tf.math.mul(ce, tf.constant((float) ls.crossEntropyWeight()));
        }
        if (ls.diceWeight() != 0) {
            Operand<TFloat32> probs = tf.nn.softmax(logits);
            if (counted != null) {
                probs = tf.math.mul(probs, counted);
            }
            Operand<TFloat32> dice = tf.math.neg(softDice(probs, target));
            dice = ls.diceWeight() == 1 ? dice : tf.math.mul(dice, tf.constant((float) ls.diceWeight()));
            loss = loss == null ? dice : tf.math.add(loss, dice);
        }
        if (loss == null) {
            throw new IllegalArgumentException("Both loss weights are 0");
        }
        return loss;
    }

    /**
     * Mean over (counted) voxels of -sum_k v_k log softmax(z)_k; an ignored voxel's all-zero target
     * gives it loss 0, and the mask below also gives it gradient 0.
     */
    private Operand<TFloat32> crossEntropy(Operand<TFloat32> logits, Operand<TFloat32> target,
            Operand<TFloat32> counted) {
        Operand<TInt32> flat = tf.constant(new int[] {-1, spec.classes()});
        Operand<TFloat32> perVoxel = tf.nn.softmaxCrossEntropyWithLogits(tf.reshape(logits, flat),
                tf.reshape(target, flat)).loss();
        if (counted == null) {
            return tf.math.mean(perVoxel, tf.constant(0));
        }
        // The op's gradient, softmax - target, assumes targets sum to 1; masking zeroes it where not.
        perVoxel = tf.math.mul(perVoxel, tf.reshape(counted, tf.constant(new int[] {-1})));
        Operand<TFloat32> count = tf.math.maximum(tf.sum(counted, tf.constant(allAxes(spec.dims() + 2))),
                tf.constant(1f));
        return tf.math.div(tf.sum(perVoxel, tf.constant(0)), count);
    }

    private static int[] allAxes(int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) {
            a[i] = i;
        }
        return a;
    }

    /**
     * Mean over classes (and samples, unless batch Dice) of (2 sum u v + s) / (sum u + sum v + s).
     * Batch Dice sums over the batch axis too, making the batch one pseudo-volume.
     */
    private Operand<TFloat32> softDice(Operand<TFloat32> probs, Operand<TFloat32> target) {
        LossSpec ls = spec.loss();
        int[] spatial = layout.spatialAxes();
        int[] axes;
        if (ls.batchDice()) {
            axes = new int[spatial.length + 1];
            System.arraycopy(spatial, 0, axes, 1, spatial.length);
        } else {
            axes = spatial;
        }
        Operand<TInt32> sumAxes = tf.constant(axes);
        Operand<TFloat32> intersect = tf.sum(tf.math.mul(probs, target), sumAxes);
        Operand<TFloat32> sumPred = tf.sum(probs, sumAxes);
        Operand<TFloat32> sumTrue = tf.sum(target, sumAxes);
        Operand<TFloat32> smooth = tf.constant((float) ls.diceSmooth());
        Operand<TFloat32> numerator = tf.math.add(tf.math.mul(tf.constant(2f), intersect), smooth);
        Operand<TFloat32> denominator = tf.math.maximum(tf.math.add(tf.math.add(sumPred, sumTrue), smooth),
                tf.constant(1e-8f));
        Operand<TFloat32> dice = tf.math.div(numerator, denominator); // [K] or [N, K]
        if (!ls.diceIncludesBackground()) {
            dice = ls.batchDice() ? tf.stridedSlice(dice, Indices.sliceFrom(1))
                    : tf.stridedSlice(dice, Indices.all(), Indices.sliceFrom(1));
        }
        int[] all = ls.batchDice() ? new int[] {0} : new int[] {0, 1};
        return tf.math.mean(dice, tf.constant(all));
    }
}

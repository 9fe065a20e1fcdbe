package io.github.nnunetfiji.engine.tf;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Index;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

import io.github.nnunetfiji.engine.LossSpec;
import io.github.nnunetfiji.engine.NetworkSpec;

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
        this.layout = new TfLayout(spec.dims);
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
        Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(spec.classes), tf.constant(1f), tf.constant(0f));
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
        for (long s : io.github.nnunetfiji.engine.TensorLayout.toTensorOrder(stride)) {
            idx.add(Indices.sliceFrom(0, s));
        }
        idx.add(Indices.all());
        return tf.stridedSlice(x, idx.toArray(new Index[0]));
    }

    private Operand<TFloat32> levelLoss(Operand<TFloat32> logits, Operand<TFloat32> target) {
        LossSpec ls = spec.loss;
        Operand<TFloat32> loss = null;
        if (ls.crossEntropyWeight != 0) {
            Operand<TFloat32> ce = crossEntropy(logits, target);
            loss = ls.crossEntropyWeight == 1 ? ce : tf.math.mul(ce, tf.constant((float) ls.crossEntropyWeight));
        }
        if (ls.diceWeight != 0) {
            Operand<TFloat32> dice = tf.math.neg(softDice(tf.nn.softmax(logits), target));
            dice = ls.diceWeight == 1 ? dice : tf.math.mul(dice, tf.constant((float) ls.diceWeight));
            loss = loss == null ? dice : tf.math.add(loss, dice);
        }
        if (loss == null) {
            throw new IllegalArgumentException("Both loss weights are 0");
        }
        return loss;
    }

    /** Mean over voxels of -sum_k v_k log softmax(z)_k. */
    private Operand<TFloat32> crossEntropy(Operand<TFloat32> logits, Operand<TFloat32> target) {
        Operand<org.tensorflow.types.TInt32> flat = tf.constant(new int[] {-1, spec.classes});
        Operand<TFloat32> perVoxel = tf.nn.softmaxCrossEntropyWithLogits(tf.reshape(logits, flat),
                tf.reshape(target, flat)).loss();
        return tf.math.mean(perVoxel, tf.constant(0));
    }

    /**
     * Mean over classes (and samples, unless batch Dice) of (2 sum u v + s) / (sum u + sum v + s).
     * Batch Dice sums over the batch axis too, making the batch one pseudo-volume.
     */
    private Operand<TFloat32> softDice(Operand<TFloat32> probs, Operand<TFloat32> target) {
        LossSpec ls = spec.loss;
        int[] spatial = layout.spatialAxes();
        int[] axes;
        if (ls.batchDice) {
            axes = new int[spatial.length + 1];
            System.arraycopy(spatial, 0, axes, 1, spatial.length);
        } else {
            axes = spatial;
        }
        Operand<org.tensorflow.types.TInt32> sumAxes = tf.constant(axes);
        Operand<TFloat32> intersect = tf.sum(tf.math.mul(probs, target), sumAxes);
        Operand<TFloat32> sumPred = tf.sum(probs, sumAxes);
        Operand<TFloat32> sumTrue = tf.sum(target, sumAxes);
        Operand<TFloat32> smooth = tf.constant((float) ls.diceSmooth);
        Operand<TFloat32> numerator = tf.math.add(tf.math.mul(tf.constant(2f), intersect), smooth);
        Operand<TFloat32> denominator = tf.math.maximum(tf.math.add(tf.math.add(sumPred, sumTrue), smooth),
                tf.constant(1e-8f));
        Operand<TFloat32> dice = tf.math.div(numerator, denominator); // [K] or [N, K]
        if (!ls.diceIncludesBackground) {
            dice = ls.batchDice ? tf.stridedSlice(dice, Indices.sliceFrom(1))
                    : tf.stridedSlice(dice, Indices.all(), Indices.sliceFrom(1));
        }
        int[] all = ls.batchDice ? new int[] {0} : new int[] {0, 1};
        return tf.math.mean(dice, tf.constant(all));
    }
}

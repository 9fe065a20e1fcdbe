package io.github.nnunetfiji.engine;

import com.google.gson.annotations.JsonAdapter;

import io.github.nnunetfiji.util.DefaultsFirst;

/**
 * Optimizer and learning-rate schedule. The engine counts steps itself (the count is part of the
 * checkpoint), so a resumed training continues the schedule where it stopped.
 *
 * <p>Immutable: the factories and {@code with*} make changed copies. Read and written with Gson
 * (component names and order are the JSON's); a file without a field reads its default.
 *
 * @param kind             SGD with Nesterov momentum, or Adam
 * @param learningRate     the base learning rate (before decay and any caller's factor)
 * @param momentum         SGD's Nesterov momentum
 * @param weightDecay      L2 weight decay added to every gradient, as PyTorch's weight_decay does
 * @param beta1            Adam's first-moment decay
 * @param beta2            Adam's second-moment decay
 * @param epsilon          Adam's epsilon
 * @param decaySteps       polynomial decay lr * (1 - step / decaySteps)^decayPower over this many
 *                         optimizer steps; 0 keeps the rate constant (the caller may still scale it,
 *                         e.g. on a plateau)
 * @param decayPower       the exponent of the polynomial decay
 * @param decayInterval    the rate changes only every this many steps (1: every step). The
 *                         reference sets it once per epoch, from epoch / epochs; training passes its
 *                         iterations per epoch here
 * @param gradientClipNorm before each step the gradients (without weight decay) are scaled down
 *                         together so that their global L2 norm is at most this, as the reference's
 *                         clip_grad_norm_(12) does; 0: no clipping. Early steps with momentum 0.99
 *                         are otherwise thrown far by a few large gradients
 */
@JsonAdapter(DefaultsFirst.class)
public record OptimizerSpec(Kind kind, double learningRate, double momentum, double weightDecay, double beta1,
        double beta2, double epsilon, long decaySteps, double decayPower, long decayInterval,
        double gradientClipNorm) {

    public enum Kind {
        /** SGD with Nesterov momentum (reference default). */
        SGD_NESTEROV,
        /** Adam (the paper). */
        ADAM
    }

    /**
     * The defaults: SGD Nesterov 0.99, lr 0.01, weight decay 3e-5, Adam's betas 0.9 / 0.999 and
     * epsilon 1e-8, no decay (decaySteps 0), decay power 0.9, interval 1, gradients clipped to a
     * global L2 norm of 12.
     */
    public static OptimizerSpec defaults() {
        return new OptimizerSpec(Kind.SGD_NESTEROV, 0.01, 0.99, 3e-5, 0.9, 0.999, 1e-8, 0, 0.9, 1, 12);
    }

    /** Reference default: lr 0.01, Nesterov 0.99, weight decay 3e-5, poly decay over totalSteps. */
    public static OptimizerSpec sgdNesterov(long totalSteps) {
        return defaults().withDecaySteps(totalSteps);
    }

    /**
     * Reference default scheduled as the reference does: lr 0.01 * (1 - epoch / epochs)^0.9, constant
     * within an epoch.
     */
    public static OptimizerSpec sgdNesterovPerEpoch(int epochs, int iterationsPerEpoch) {
        return defaults().withDecaySteps((long) epochs * iterationsPerEpoch).withDecayInterval(iterationsPerEpoch);
    }

    /** The paper: Adam, lr 3e-4, weight decay 3e-5, constant rate (plateau cuts are the caller's). */
    public static OptimizerSpec adam(double learningRate) {
        return defaults().withKind(Kind.ADAM).withLearningRate(learningRate);
    }

    public OptimizerSpec withKind(Kind v) {
        return new OptimizerSpec(v, learningRate, momentum, weightDecay, beta1, beta2, epsilon, decaySteps,
                decayPower, decayInterval, gradientClipNorm);
    }

    public OptimizerSpec withLearningRate(double v) {
        return new OptimizerSpec(kind, v, momentum, weightDecay, beta1, beta2, epsilon, decaySteps, decayPower,
                decayInterval, gradientClipNorm);
    }

    public OptimizerSpec withMomentum(double v) {
        return new OptimizerSpec(kind, learningRate, v, weightDecay, beta1, beta2, epsilon, decaySteps, decayPower,
                decayInterval, gradientClipNorm);
    }

    public OptimizerSpec withWeightDecay(double v) {
        return new OptimizerSpec(kind, learningRate, momentum, v, beta1, beta2, epsilon, decaySteps, decayPower,
                decayInterval, gradientClipNorm);
    }

    public OptimizerSpec withDecaySteps(long v) {
        return new OptimizerSpec(kind, learningRate, momentum, weightDecay, beta1, beta2, epsilon, v, decayPower,
                decayInterval, gradientClipNorm);
    }

    public OptimizerSpec withDecayInterval(long v) {
        return new OptimizerSpec(kind, learningRate, momentum, weightDecay, beta1, beta2, epsilon, decaySteps,
                decayPower, v, gradientClipNorm);
    }

    /** A copy with {@link #gradientClipNorm()} set; 0 turns clipping off. */
    public OptimizerSpec withGradientClipNorm(double v) {
        return new OptimizerSpec(kind, learningRate, momentum, weightDecay, beta1, beta2, epsilon, decaySteps,
                decayPower, decayInterval, v);
    }

    /** The learning rate of optimizer step {@code step} (0-based), before any caller's factor. */
    public double learningRateAt(long step) {
        if (decaySteps <= 0) {
            return learningRate;
        }
        long interval = Math.max(1, decayInterval);
        double progress = Math.min(step / interval * interval, decaySteps) / (double) decaySteps;
        return learningRate * Math.pow(1 - progress, decayPower);
    }

    void validate() {
        if (kind == null || !(learningRate > 0) || momentum < 0 || momentum >= 1 || weightDecay < 0 || beta1 < 0
                || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || !(epsilon > 0) || decaySteps < 0 || decayInterval < 1
                || !(gradientClipNorm >= 0)) {
            throw new IllegalArgumentException("Invalid optimizer settings");
        }
    }

    @Override
    public String toString() {
        return kind + " lr " + learningRate + (decaySteps > 0 ? " decaying over " + decaySteps + " steps" : "");
    }
}

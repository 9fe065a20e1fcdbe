package io.github.nnunetfiji.engine;

/**
 * Optimizer and learning-rate schedule. The engine counts steps itself (the count is part of the
 * checkpoint), so a resumed training continues the schedule where it stopped.
 */
public final class OptimizerSpec {

    public enum Kind {
        /** SGD with Nesterov momentum (reference default). */
        SGD_NESTEROV,
        /** Adam (the paper). */
        ADAM
    }

    public Kind kind = Kind.SGD_NESTEROV;
    public double learningRate = 0.01;
    public double momentum = 0.99;
    /** L2 weight decay added to every gradient, as PyTorch's weight_decay does. */
    public double weightDecay = 3e-5;
    public double beta1 = 0.9;
    public double beta2 = 0.999;
    public double epsilon = 1e-8;
    /**
     * Polynomial decay lr * (1 - step / decaySteps)^decayPower over this many optimizer steps; 0
     * keeps the rate constant (the caller may still scale it, e.g. on a plateau).
     */
    public long decaySteps;
    public double decayPower = 0.9;
    /**
     * The rate changes only every this many steps (1: every step). The reference sets it once per
     * epoch, from epoch / epochs; training passes its iterations per epoch here.
     */
    public long decayInterval = 1;

    /** Reference default: lr 0.01, Nesterov 0.99, weight decay 3e-5, poly decay over totalSteps. */
    public static OptimizerSpec sgdNesterov(long totalSteps) {
        OptimizerSpec o = new OptimizerSpec();
        o.decaySteps = totalSteps;
        return o;
    }

    /**
     * Reference default scheduled as the reference does: lr 0.01 * (1 - epoch / epochs)^0.9, constant
     * within an epoch.
     */
    public static OptimizerSpec sgdNesterovPerEpoch(int epochs, int iterationsPerEpoch) {
        OptimizerSpec o = sgdNesterov((long) epochs * iterationsPerEpoch);
        o.decayInterval = iterationsPerEpoch;
        return o;
    }

    /** The paper: Adam, lr 3e-4, weight decay 3e-5, constant rate (plateau cuts are the caller's). */
    public static OptimizerSpec adam(double learningRate) {
        OptimizerSpec o = new OptimizerSpec();
        o.kind = Kind.ADAM;
        o.learningRate = learningRate;
        o.decaySteps = 0;
        return o;
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
        if (!(learningRate > 0) || momentum < 0 || momentum >= 1 || weightDecay < 0 || beta1 < 0 || beta1 >= 1
                || beta2 < 0 || beta2 >= 1 || !(epsilon > 0) || decaySteps < 0 || decayInterval < 1) {
            throw new IllegalArgumentException("Invalid optimizer settings");
        }
    }
}

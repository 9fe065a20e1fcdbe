package io.github.nnunetfiji.engine;

import java.util.Objects;

/**
 * Optimizer and learning-rate schedule. The engine counts steps itself (the count is part of the
 * checkpoint), so a resumed training continues the schedule where it stopped.
 *
 * <p>Immutable: the factories or {@link #toBuilder()} make a changed copy. Read and written with
 * Gson (field names and order are the JSON's), so the fields stay plain.
 */
public final class OptimizerSpec {

    public enum Kind {
        /** SGD with Nesterov momentum (reference default). */
        SGD_NESTEROV,
        /** Adam (the paper). */
        ADAM
    }

    private final Kind kind;
    private final double learningRate;
    private final double momentum;
    private final double weightDecay;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final long decaySteps;
    private final double decayPower;
    private final long decayInterval;
    private final double gradientClipNorm;

    /** The defaults; Gson starts from them, so a file without a field reads its default. */
    private OptimizerSpec() {
        this(new Builder());
    }

    private OptimizerSpec(Builder b) {
        this.kind = b.kind;
        this.learningRate = b.learningRate;
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.decaySteps = b.decaySteps;
        this.decayPower = b.decayPower;
        this.decayInterval = b.decayInterval;
        this.gradientClipNorm = b.gradientClipNorm;
    }

    /**
     * A builder holding the defaults: SGD Nesterov 0.99, lr 0.01, weight decay 3e-5, Adam's betas
     * 0.9 / 0.999 and epsilon 1e-8, no decay (decaySteps 0), decay power 0.9, interval 1, gradients
     * clipped to a global L2 norm of 12.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this optimizer (which stays as it is). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.kind = kind;
        b.learningRate = learningRate;
        b.momentum = momentum;
        b.weightDecay = weightDecay;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.epsilon = epsilon;
        b.decaySteps = decaySteps;
        b.decayPower = decayPower;
        b.decayInterval = decayInterval;
        b.gradientClipNorm = gradientClipNorm;
        return b;
    }

    /** Reference default: lr 0.01, Nesterov 0.99, weight decay 3e-5, poly decay over totalSteps. */
    public static OptimizerSpec sgdNesterov(long totalSteps) {
        return new Builder().setDecaySteps(totalSteps).build();
    }

    /**
     * Reference default scheduled as the reference does: lr 0.01 * (1 - epoch / epochs)^0.9, constant
     * within an epoch.
     */
    public static OptimizerSpec sgdNesterovPerEpoch(int epochs, int iterationsPerEpoch) {
        return new Builder().setDecaySteps((long) epochs * iterationsPerEpoch).setDecayInterval(iterationsPerEpoch)
                .build();
    }

    /** The paper: Adam, lr 3e-4, weight decay 3e-5, constant rate (plateau cuts are the caller's). */
    public static OptimizerSpec adam(double learningRate) {
        return new Builder().setKind(Kind.ADAM).setLearningRate(learningRate).setDecaySteps(0).build();
    }

    /** SGD with Nesterov momentum, or Adam. */
    public Kind kind() {
        return kind;
    }

    /** The base learning rate (before decay and any caller's factor). */
    public double learningRate() {
        return learningRate;
    }

    /** SGD's Nesterov momentum. */
    public double momentum() {
        return momentum;
    }

    /** L2 weight decay added to every gradient, as PyTorch's weight_decay does. */
    public double weightDecay() {
        return weightDecay;
    }

    /** Adam's first-moment decay. */
    public double beta1() {
        return beta1;
    }

    /** Adam's second-moment decay. */
    public double beta2() {
        return beta2;
    }

    /** Adam's epsilon. */
    public double epsilon() {
        return epsilon;
    }

    /**
     * Polynomial decay lr * (1 - step / decaySteps)^decayPower over this many optimizer steps; 0
     * keeps the rate constant (the caller may still scale it, e.g. on a plateau).
     */
    public long decaySteps() {
        return decaySteps;
    }

    /** The exponent of the polynomial decay. */
    public double decayPower() {
        return decayPower;
    }

    /**
     * The rate changes only every this many steps (1: every step). The reference sets it once per
     * epoch, from epoch / epochs; training passes its iterations per epoch here.
     */
    public long decayInterval() {
        return decayInterval;
    }

    /**
     * Before each step the gradients (without weight decay) are scaled down together so that their
     * global L2 norm is at most this, as the reference's clip_grad_norm_(12) does; 0: no clipping.
     * Early steps with momentum 0.99 are otherwise thrown far by a few large gradients.
     */
    public double gradientClipNorm() {
        return gradientClipNorm;
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
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof OptimizerSpec)) {
            return false;
        }
        OptimizerSpec s = (OptimizerSpec) o;
        return kind == s.kind && Double.compare(learningRate, s.learningRate) == 0
                && Double.compare(momentum, s.momentum) == 0 && Double.compare(weightDecay, s.weightDecay) == 0
                && Double.compare(beta1, s.beta1) == 0 && Double.compare(beta2, s.beta2) == 0
                && Double.compare(epsilon, s.epsilon) == 0 && decaySteps == s.decaySteps
                && Double.compare(decayPower, s.decayPower) == 0 && decayInterval == s.decayInterval
                && Double.compare(gradientClipNorm, s.gradientClipNorm) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, learningRate, momentum, weightDecay, beta1, beta2, epsilon, decaySteps, decayPower,
                decayInterval, gradientClipNorm);
    }

    @Override
    public String toString() {
        return kind + " lr " + learningRate + (decaySteps > 0 ? " decaying over " + decaySteps + " steps" : "");
    }

    /** Fills an optimizer; {@link #build()} hands out an immutable copy. */
    public static final class Builder {
        private Kind kind = Kind.SGD_NESTEROV;
        private double learningRate = 0.01;
        private double momentum = 0.99;
        private double weightDecay = 3e-5;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private long decaySteps;
        private double decayPower = 0.9;
        private long decayInterval = 1;
        private double gradientClipNorm = 12;

        private Builder() {
        }

        /** The optimizer as built so far (later setters do not change it). */
        public OptimizerSpec build() {
            return new OptimizerSpec(this);
        }

        /**
         * Sets {@link OptimizerSpec#kind()}.
         *
         * @param kind the new value
         * @return this builder
         */
        public Builder setKind(Kind kind) {
            this.kind = kind;
            return this;
        }

        /**
         * Sets {@link OptimizerSpec#learningRate()}.
         *
         * @param learningRate the new value
         * @return this builder
         */
        public Builder setLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets {@link OptimizerSpec#momentum()}.
         *
         * @param momentum the new value
         * @return this builder
         */
        public Builder setMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Sets {@link OptimizerSpec#weightDecay()}.
         *
         * @param weightDecay the new value
         * @return this builder
         */
        public Builder setWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Sets {@link OptimizerSpec#gradientClipNorm()}.
         *
         * @param gradientClipNorm the new value; 0 turns clipping off
         * @return this builder
         */
        public Builder setGradientClipNorm(double gradientClipNorm) {
            this.gradientClipNorm = gradientClipNorm;
            return this;
        }

        /**
         * Sets Adam's moment decays.
         *
         * @param beta1 first-moment decay
         * @param beta2 second-moment decay
         * @return this builder
         */
        public Builder setBetas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets {@link OptimizerSpec#epsilon()}.
         *
         * @param epsilon the new value
         * @return this builder
         */
        public Builder setEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Sets {@link OptimizerSpec#decaySteps()}.
         *
         * @param decaySteps the new value (0: constant rate)
         * @return this builder
         */
        public Builder setDecaySteps(long decaySteps) {
            this.decaySteps = decaySteps;
            return this;
        }

        /**
         * Sets {@link OptimizerSpec#decayPower()}.
         *
         * @param decayPower the new value
         * @return this builder
         */
        public Builder setDecayPower(double decayPower) {
            this.decayPower = decayPower;
            return this;
        }

        /**
         * Sets {@link OptimizerSpec#decayInterval()}.
         *
         * @param decayInterval the new value (1: the rate changes every step)
         * @return this builder
         */
        public Builder setDecayInterval(long decayInterval) {
            this.decayInterval = decayInterval;
            return this;
        }
    }
}

package io.github.nnunetfiji.plan;

import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * The cascade's rules as pure functions: when a low-resolution stage is needed, how its spacing
 * grows step by step, and when it is worth keeping. The planner calls them through its own
 * overridable rule methods ({@code cascadeTriggered}, {@code lowResSpacingStep},
 * {@code keepLowResStage}). Per-axis arrays follow {@link AxisOrder}.
 */
public final class CascadeRules {

    /** Safety bound on the steps of the low-resolution spacing search. */
    static final int MAX_LOWRES_STEPS = 10_000;

    private CascadeRules() {
    }

    /**
     * The cascade trigger: the median shape holds more than {@code factor} times the voxels of the
     * 3D patch (4 in both the paper and the reference).
     *
     * @param medianVoxels voxels of the median shape
     * @param patchVoxels  voxels of the 3D patch
     * @param factor       how many patches the median case must exceed
     * @return true if a low-resolution stage is needed
     */
    public static boolean triggered(double medianVoxels, long patchVoxels, double factor) {
        return medianVoxels > factor * patchVoxels;
    }

    /**
     * The paper's spacing step: axes finer than the coarsest grow by {@code factor} (never beyond
     * the coarsest), so anisotropic data are first made isotropic; once all are equal, all grow.
     *
     * @param spacing the current spacing
     * @param factor  growth per step, e.g. 1.01
     * @return the next, coarser spacing
     */
    public static double[] growFinerAxes(double[] spacing, double factor) {
        double max = Math.max(spacing[0], Math.max(spacing[1], spacing[2]));
        double[] next = spacing.clone();
        boolean anyFiner = false;
        for (int d = 0; d < 3; d++) {
            if (SpacingTolerance.compare(spacing[d], max) < 0) {
                next[d] = Math.min(max, spacing[d] * factor);
                anyFiner = true;
            }
        }
        if (!anyFiner) {
            for (int d = 0; d < 3; d++) {
                next[d] = spacing[d] * factor;
            }
        }
        return next;
    }

    /**
     * The reference's spacing step: axes more than {@code ratio} times finer than the coarsest
     * grow by {@code factor}; once none is, all axes grow by it.
     *
     * @param spacing the current spacing
     * @param ratio   how much finer than the coarsest an axis must be to grow alone, e.g. 2
     * @param factor  growth per step, e.g. 1.03
     * @return the next, coarser spacing
     */
    public static double[] growAxesFinerThan(double[] spacing, double ratio, double factor) {
        double max = Math.max(spacing[0], Math.max(spacing[1], spacing[2]));
        double[] next = spacing.clone();
        boolean anyFine = false;
        for (int d = 0; d < 3; d++) {
            if (SpacingTolerance.ratioExceeds(max, spacing[d], ratio)) {
                next[d] = spacing[d] * factor;
                anyFine = true;
            }
        }
        if (!anyFine) {
            for (int d = 0; d < 3; d++) {
                next[d] = spacing[d] * factor;
            }
        }
        return next;
    }

    /**
     * Whether the low-resolution stage is worth training: its median case holds at most
     * {@code 1 / minReduction} of the voxels of the full-resolution median case.
     *
     * @param fullMedianVoxels voxels of the median case at full resolution
     * @param lowMedianVoxels  voxels of the median case at low resolution
     * @param minReduction     the least reduction worth a stage (2 in both planners)
     * @return true to keep the cascade
     */
    public static boolean worthKeeping(double fullMedianVoxels, double lowMedianVoxels, double minReduction) {
        return fullMedianVoxels / lowMedianVoxels >= minReduction;
    }

    /** Whether a planned candidate stage still needs a coarser spacing. */
    @FunctionalInterface
    public interface StillTooLarge<T> {
        /**
         * @param medianVoxels voxels of the median case at the candidate's spacing
         * @param candidate    the candidate stage
         * @return true to take another step
         */
        boolean test(double medianVoxels, T candidate);
    }

    /**
     * The low-resolution stage found by growing the spacing.
     *
     * @param spacing its spacing
     * @param median  the median shape at that spacing (not rounded)
     * @param stage   the stage planned at that spacing
     * @param <T>     what the planner plans per candidate
     */
    public record LowResStage<T>(double[] spacing, double[] median, T stage) {
        public LowResStage {
            spacing = spacing.clone();
            median = median.clone();
        }

        @Override
        public double[] spacing() {
            return spacing.clone();
        }

        @Override
        public double[] median() {
            return median.clone();
        }

        /** Voxels of the median case at this spacing. */
        public double medianVoxels() {
            return median[0] * median[1] * median[2];
        }
    }

    /**
     * Grows the spacing from the full-resolution one with {@code step}, planning a candidate at
     * every step, until the candidate's median case no longer needs a coarser spacing.
     *
     * @param fullSpacing  spacing of the full-resolution stage
     * @param fullMedian   its median shape
     * @param step         the spacing step rule
     * @param plan         plans a candidate at a spacing and median shape
     * @param stillTooLarge whether a candidate needs another step
     * @param <T>          what the planner plans per candidate
     * @return the first candidate that does not need another step
     * @throws IllegalStateException if no such spacing is found within {@value #MAX_LOWRES_STEPS} steps
     */
    public static <T> LowResStage<T> searchLowResSpacing(double[] fullSpacing, double[] fullMedian,
            UnaryOperator<double[]> step, BiFunction<double[], double[], T> plan, StillTooLarge<T> stillTooLarge) {
        double[] spacing = fullSpacing.clone();
        double[] median = fullMedian.clone();
        T low = null;
        for (int i = 0; low == null || stillTooLarge.test(median[0] * median[1] * median[2], low); i++) {
            if (i == MAX_LOWRES_STEPS) {
                throw new IllegalStateException("No low-resolution spacing found for the cascade after "
                        + MAX_LOWRES_STEPS + " steps (spacing " + AxisOrder.format(spacing) + ")");
            }
            spacing = step.apply(spacing);
            for (int d = 0; d < 3; d++) {
                median[d] = fullMedian[d] * fullSpacing[d] / spacing[d];
            }
            low = plan.apply(spacing.clone(), median.clone());
        }
        return new LowResStage<>(spacing, median, low);
    }
}

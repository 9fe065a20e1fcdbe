package io.github.nnunetfiji.train.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.github.nnunetfiji.fingerprint.ConnectedComponents;

/**
 * Perturbs the cascade's one-hot previous-stage channels in training (METHOD.md §5), so that the
 * second stage does not trust them blindly; the reference's two transforms and probabilities:
 * <ul>
 *   <li>binary operator, p 0.4 per sample: each foreground channel, in random order, with p 0.5,
 *       gets a random one of dilation, erosion, closing and opening by a ball of radius 1 .. 8
 *       voxels; voxels it adds are taken from the other channels (the one-hot stays exclusive);</li>
 *   <li>component removal, p 0.2 per sample: each channel, in random order, with p 0.5, loses one
 *       randomly chosen connected component (full connectivity) among those covering less than
 *       15% of the patch.</li>
 * </ul>
 * Channels are planar in {@code image}: channel c at {@code c * voxels}, x fastest.
 */
public final class PreviousStagePerturbation {

    /** The binary operators. */
    public enum Operator { DILATION, EROSION, CLOSING, OPENING }

    static final double OPERATOR_PROBABILITY = 0.4;
    static final double REMOVAL_PROBABILITY = 0.2;
    static final double PER_LABEL_PROBABILITY = 0.5;
    static final int MIN_RADIUS = 1;
    static final int MAX_RADIUS = 8;
    /** A component covering this share of the patch or more is never removed. */
    static final double MAX_REMOVED_SHARE = 0.15;

    private PreviousStagePerturbation() {
    }

    /**
     * Both transforms with the reference's probabilities.
     *
     * @param first    the first previous-stage channel
     * @param channels previous-stage channels (one per foreground class)
     */
    public static void apply(float[] image, int first, int channels, int[] shape, SplittableRandom rng) {
        if (rng.nextDouble() < OPERATOR_PROBABILITY) {
            for (int c : chosenChannels(first, channels, rng)) {
                Operator op = Operator.values()[rng.nextInt(Operator.values().length)];
                int radius = MIN_RADIUS + rng.nextInt(MAX_RADIUS - MIN_RADIUS + 1);
                applyOperator(image, c, first, channels, shape, op, radius);
            }
        }
        if (rng.nextDouble() < REMOVAL_PROBABILITY) {
            for (int c : chosenChannels(first, channels, rng)) {
                removeComponent(image, c, shape, MAX_REMOVED_SHARE, rng);
            }
        }
    }

    /** The channels in random order, each kept with {@link #PER_LABEL_PROBABILITY}. */
    private static List<Integer> chosenChannels(int first, int channels, SplittableRandom rng) {
        List<Integer> order = new ArrayList<>();
        for (int c = first; c < first + channels; c++) {
            order.add(c);
        }
        for (int i = order.size() - 1; i > 0; i--) {
            java.util.Collections.swap(order, i, rng.nextInt(i + 1));
        }
        List<Integer> chosen = new ArrayList<>();
        for (int c : order) {
            if (rng.nextDouble() < PER_LABEL_PROBABILITY) {
                chosen.add(c);
            }
        }
        return chosen;
    }

    /**
     * Applies {@code op} to channel {@code c}; voxels it adds are set to 0 in the other channels of
     * {@code [first, first + channels)}.
     */
    public static void applyOperator(float[] image, int c, int first, int channels, int[] shape, Operator op,
            int radius) {
        int n = shape[0] * shape[1] * shape[2];
        boolean[] mask = channel(image, c, n);
        boolean[] result = switch (op) {
            case DILATION -> BinaryMorphology.dilate(mask, shape, radius);
            case EROSION -> BinaryMorphology.erode(mask, shape, radius);
            case CLOSING -> BinaryMorphology.close(mask, shape, radius);
            case OPENING -> BinaryMorphology.open(mask, shape, radius);
        };
        for (int o = first; o < first + channels; o++) {
            if (o == c) {
                continue;
            }
            int off = o * n;
            for (int i = 0; i < n; i++) {
                if (result[i] && !mask[i]) {
                    image[off + i] = 0f;
                }
            }
        }
        int off = c * n;
        for (int i = 0; i < n; i++) {
            image[off + i] = result[i] ? 1f : 0f;
        }
    }

    /**
     * Sets to 0 one connected component of channel {@code c}, chosen uniformly among those with
     * fewer than {@code maxShare} of the patch's voxels; nothing if there is none.
     *
     * @return the voxels removed
     */
    public static long removeComponent(float[] image, int c, int[] shape, double maxShare, SplittableRandom rng) {
        int n = shape[0] * shape[1] * shape[2];
        boolean[] mask = channel(image, c, n);
        long[] s = {shape[0], shape[1], shape[2]};
        ConnectedComponents.Labels labels = i -> mask[i] ? 1 : 0;
        List<ConnectedComponents.Component> small = new ArrayList<>();
        for (ConnectedComponents.Component k : ConnectedComponents.components(labels, s,
                ConnectedComponents.FULL_CONNECTIVITY)) {
            if (k.size() < n * maxShare) {
                small.add(k);
            }
        }
        if (small.isEmpty()) {
            return 0;
        }
        ConnectedComponents.Component chosen = small.get(rng.nextInt(small.size()));
        int off = c * n;
        return ConnectedComponents.fill(labels, s, ConnectedComponents.FULL_CONNECTIVITY, chosen.seed(), new boolean[n],
                i -> image[off + i] = 0f);
    }

    private static boolean[] channel(float[] image, int c, int n) {
        boolean[] m = new boolean[n];
        int off = c * n;
        for (int i = 0; i < n; i++) {
            m[i] = image[off + i] != 0f;
        }
        return m;
    }
}

package io.github.nnunetfiji.train.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.github.nnunetfiji.preprocess.CaseHeader;

/**
 * Chooses where the loader patch is cut from a case (sample space), as the reference does:
 * a random box that may overhang each side by half the enlargement (more where the case is smaller
 * than the patch), or, for a foreground slot, a box centred on a stored voxel of a randomly chosen
 * foreground class present in the case (no upper clamp: the box may overhang the far side).
 */
final class PatchSampler {

    private PatchSampler() {
    }

    /**
     * @param caseShape   case extent per sample axis
     * @param patch       network patch per sample axis
     * @param loaderPatch box read from the case per sample axis (>= patch)
     * @param centre      sample-space voxel to centre on, or null for a random box
     * @param out         first voxel of the box per sample axis
     */
    static void boxStart(int[] caseShape, int[] patch, int[] loaderPatch, int[] centre, SplittableRandom rng, int[] out) {
        for (int d = 0; d < 3; d++) {
            int pad = loaderPatch[d] - patch[d];
            if (pad + caseShape[d] < loaderPatch[d]) {
                pad = loaderPatch[d] - caseShape[d];
            }
            int lb = -(pad / 2);
            int ub = caseShape[d] + (pad + 1) / 2 - loaderPatch[d];
            if (centre == null) {
                out[d] = lb + rng.nextInt(ub - lb + 1);
            } else {
                out[d] = Math.max(lb, centre[d] - loaderPatch[d] / 2);
            }
        }
    }

    /**
     * A random stored voxel of a random foreground class of the case (the ignore label excluded
     * when other classes exist), in sample space; null if the case has no foreground.
     */
    static int[] foregroundVoxel(CaseHeader h, int ignoreLabel, int[] planAxis, SplittableRandom rng) {
        List<Integer> classes = new ArrayList<>(h.classesPresent());
        if (classes.size() > 1) {
            classes.remove(Integer.valueOf(ignoreLabel));
        }
        if (classes.isEmpty()) {
            return null;
        }
        int label = classes.get(rng.nextInt(classes.size()));
        int[] locations = h.classLocations(label);
        if (locations.length == 0) {
            return null;
        }
        int linear = locations[rng.nextInt(locations.length)];
        int[] s = h.shape();
        int[] plan = {linear % s[0], (linear / s[0]) % s[1], linear / (s[0] * s[1])};
        int[] sample = new int[3];
        for (int d = 0; d < 3; d++) {
            sample[d] = plan[planAxis[d]];
        }
        return sample;
    }
}

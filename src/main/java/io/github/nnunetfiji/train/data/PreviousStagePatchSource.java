package io.github.nnunetfiji.train.data;

import io.github.nnunetfiji.preprocess.PreviousStagePredictions;
import io.github.nnunetfiji.train.augment.PatchSource;

/**
 * The first stage's stored segmentation of a case as a label-only patch source for the cascade's
 * second stage (3D, so sample axes are plan axes): no image channels; outside the case -1, the
 * padding of labels, which becomes no foreground channel.
 */
final class PreviousStagePatchSource implements PatchSource {

    private final PreviousStagePredictions.Mapped stored;

    PreviousStagePatchSource(PreviousStagePredictions.Mapped stored) {
        this.stored = stored;
    }

    @Override
    public int channels() {
        return 0;
    }

    @Override
    public void readImage(int[] start, int[] size, float[] out) {
        // No image channels.
    }

    @Override
    public void readLabels(int[] start, int[] size, byte[] out) {
        stored.readPatch(start, size, out, (byte) -1);
    }
}

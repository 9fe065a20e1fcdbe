package io.github.nnunetfiji.fingerprint;

import java.io.IOException;

import io.github.nnunetfiji.dataset.Dataset;

/**
 * No case of a data set has a voxel labelled above 0: there is nothing to learn, and the
 * foreground intensity statistics (CT normalization's clip bounds and scale) are undefined. An
 * input problem, not an I/O error: the command line exits with 1.
 */
public final class NoForegroundException extends IOException {

    private static final long serialVersionUID = 1L;

    public NoForegroundException(Dataset dataset) {
        super("No case of " + dataset.root() + " has a foreground voxel: every label map in labelsTr/ is all "
                + "background (0). Fix: label the structures to segment (values declared under \"labels\" in "
                + "dataset.json) in the label maps, then run the command again.");
    }
}

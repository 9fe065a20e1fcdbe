package io.github.nnunetfiji.fiji;

import ij.WindowManager;
import ij.macro.Interpreter;

/**
 * What a macro run in a test leaves behind in ImageJ 1's static state: its batch-mode images, the
 * thread's current image, batch mode itself. Tests forget it after each macro, as a fresh ImageJ would.
 */
final class BatchModeImages {

    private BatchModeImages() {
    }

    static void forget() {
        for (int id : Interpreter.getBatchModeImageIDs()) {
            Interpreter.removeBatchModeImage(Interpreter.getBatchModeImage(id));
        }
        WindowManager.setTempCurrentImage(null);
        Interpreter.batchMode = false;
    }
}

package io.github.nnunetfiji.fiji;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.pipeline.LoadedModels;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Free Memory: closes the engine and the trained models that nnU-Net
 * Segment Image and Predict keep for the Fiji session ({@link NnunetSessionService}) and reports
 * what was freed; a model a running command predicts with is freed when that command ends. The
 * next segmentation loads them again. Macro: {@code run("nnU-Net Free Memory");}. Headless-safe.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Free Memory", label = "nnU-Net Free Memory",
        headless = true)
public class FreeMemoryCommand extends NnunetCommand {

    @Parameter(required = false)
    private NnunetSessionService session;


    @Parameter(label = "Freed", type = ItemIO.OUTPUT)
    private String report;

    /** The number of models closed now. */
    @Parameter(label = "Models freed", type = ItemIO.OUTPUT)
    private int modelsfreed;

    @Override
    public void run() {
        started();
        if (session == null) {
            report = "Nothing to free: this session keeps no engine or model (no nnU-Net session service)";
            log().info(report);
            finished(report);
            return;
        }
        try {
            LoadedModels.Freed freed = session.free();
            report = freed.describe();
            modelsfreed = freed.models().size();
            log().info(report);
            finished(report);
        } catch (RuntimeException e) {
            cancel("Freeing the engine and models failed: " + e.getMessage());
            log().error(getCancelReason(), e);
        }
    }

    @Override
    public String shownOutput() {
        return "report";
    }
}

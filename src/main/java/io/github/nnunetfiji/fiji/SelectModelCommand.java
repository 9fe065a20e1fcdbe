package io.github.nnunetfiji.fiji;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.pipeline.SelectStage;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Select Model: scores every trained configuration and pair of
 * configurations by cross-validated Dice, chooses the best with its postprocessing, and writes the
 * choice into the models folder (what Predict with the models folder then runs). Macro:
 * {@code run("nnU-Net Select Model", "dataset=/path/to/Task work=/path/to/work");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Select Model", label = "nnU-Net Select Model",
        headless = true)
public class SelectModelCommand extends DatasetStageCommand {

    @Parameter(label = "Configurations", required = false, persist = false,
            description = "Names separated by spaces or commas; empty: every trained configuration")
    private String configurations = "";

    @Parameter(label = "Folds", required = false, persist = false,
            description = "Folds to score on, e.g. 0 1 2; empty: those every configuration has finished")
    private String folds = "";

    @Parameter(label = "Selection", type = ItemIO.OUTPUT)
    private String report;

    @Override
    protected String activity() {
        return "Model selection";
    }

    @Override
    protected void runStage(WorkFolder wf) throws Exception {
        SelectStage.Result r = new SelectStage().run(new SelectStage.Request(dataset.toPath(), wf, FieldWords.split(configurations),
                FieldWords.split(folds), threads()), progress());
        report = r.report();
        log().info(report);
    }

    @Override
    public String shownOutput() {
        return "report";
    }
}

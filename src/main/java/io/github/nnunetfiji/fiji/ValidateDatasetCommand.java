package io.github.nnunetfiji.fiji;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.pipeline.ValidateStage;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Validate: checks a data set folder and reports its summary or
 * every problem. Macro: {@code run("nnU-Net Validate", "dataset=/path/to/Task work=/path/to/work");}.
 * Headless-safe: no UI, messages through the log and status bar.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Validate", label = "nnU-Net Validate",
        headless = true)
public class ValidateDatasetCommand extends DatasetStageCommand {

    @Parameter(label = "Report", type = ItemIO.OUTPUT)
    private String report;

    @Parameter(label = "Valid", type = ItemIO.OUTPUT)
    private boolean valid;

    @Override
    protected String activity() {
        return "Validation";
    }

    @Override
    protected void runStage(WorkFolder wf) throws Exception {
        ValidateStage.Result r = new ValidateStage().run(new ValidateStage.Request(dataset.toPath(), wf, threads()),
                progress());
        valid = r.ok();
        report = r.report();
        if (valid) {
            log().info(report);
        } else {
            log().error(report);
            reportFailure("The data set has problems; the report lists each with its fix.");
        }
    }

    @Override
    public String shownOutput() {
        return "report";
    }
}

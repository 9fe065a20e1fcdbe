package io.github.nnunetfiji.fiji;

import java.util.Arrays;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.pipeline.PreprocessStage;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Preprocess: preprocesses a planned data set (crop, normalize,
 * resample, store). Shows progress, can be canceled (finished cases stay and are reused next
 * time). Macro: {@code run("nnU-Net Preprocess", "dataset=[/path/Task] configurations=[2d 3d_fullres]");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Preprocess", label = "nnU-Net Preprocess",
        headless = true)
public class PreprocessCommand extends DatasetStageCommand {

    @Parameter(label = "Configurations", required = false, persist = false,
            description = "Space- or comma-separated, e.g. '2d 3d_fullres'; empty for all planned")
    private String configurations = "";

    @Parameter(label = "Preprocess again", required = false, persist = false,
            description = "Preprocess every case again, even those made from the same files and plan")
    private boolean force;

    @Parameter(label = "Report", type = ItemIO.OUTPUT)
    private String report;

    @Override
    protected String activity() {
        return "Preprocessing";
    }

    @Override
    protected void runStage(WorkFolder wf) throws Exception {
        List<String> configs = Arrays.stream((configurations == null ? "" : configurations).split("[,\\s]+"))
                .filter(c -> !c.isBlank()).toList();
        PreprocessStage.Result r = new PreprocessStage()
                .run(new PreprocessStage.Request(dataset.toPath(), wf, null, configs, threads(), force), progress());
        report = r.report();
        if (r.ok()) {
            log().info(report);
        } else {
            log().error(report);
            reportFailure("Some cases could not be preprocessed; see the report.");
        }
    }

    @Override
    public String shownOutput() {
        return "report";
    }
}

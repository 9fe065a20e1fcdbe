package io.github.nnunetfiji.fiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.DatasetPreprocessor;
import io.github.nnunetfiji.preprocess.PreprocessingResult;

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

    @Parameter(label = "Report", type = ItemIO.OUTPUT)
    private String report;

    @Override
    protected String activity() {
        return "Preprocessing";
    }

    @Override
    protected void runStage(WorkFolder wf) throws Exception {
        Dataset ds = DatasetLoader.load(dataset.toPath());
        Path plansFile = wf.forDataset(ds).plansFile();
        if (!Files.isRegularFile(plansFile)) {
            fail(plansFile + " not found: run nnU-Net Plan first.");
            return;
        }
        List<String> configs = new ArrayList<>();
        for (String c : (configurations == null ? "" : configurations).split("[,\\s]+")) {
            if (!c.isBlank()) {
                configs.add(c.trim());
            }
        }
        List<PreprocessingResult> results = new DatasetPreprocessor(threads()).run(ds, Plans.read(plansFile), configs, wf,
                progress());
        StringBuilder sb = new StringBuilder();
        results.forEach(r -> sb.append(r.toText()));
        report = sb.toString();
        if (results.stream().allMatch(PreprocessingResult::ok)) {
            log.info(report);
        } else {
            log.error(report);
            reportFailure("Some cases could not be preprocessed; see the report.");
        }
    }
}

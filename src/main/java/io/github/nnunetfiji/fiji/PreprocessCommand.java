package io.github.nnunetfiji.fiji;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.DatasetPreprocessor;
import io.github.nnunetfiji.preprocess.PreprocessingResult;
import io.github.nnunetfiji.util.CanceledException;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Preprocess: preprocesses a planned data set (crop, normalize,
 * resample, store). Shows progress, can be canceled (finished cases stay and are reused next
 * time). Macro: {@code run("nnU-Net Preprocess", "dataset=[/path/Task] configurations=[2d 3d_fullres]");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Preprocess", label = "nnU-Net Preprocess",
        headless = true)
public class PreprocessCommand extends ContextCommand {

    @Parameter(label = "Data set folder", style = "directory", persist = false,
            description = "Folder with dataset.json, imagesTr/ and labelsTr/")
    private File dataset;

    @Parameter(label = "Work folder", style = "directory", required = false, persist = false,
            description = "Where plans.json is and results go; default $NNUNET_WORK or ./nnunet_work")
    private File work;

    @Parameter(label = "Configurations", required = false, persist = false,
            description = "Space- or comma-separated, e.g. '2d 3d_fullres'; empty for all planned")
    private String configurations = "";

    @Parameter(label = "Threads", min = "1", max = "256", required = false, persist = false,
            description = "Cases processed in parallel; each holds one case in memory")
    private int threads = 2;

    @Parameter(label = "Report", type = ItemIO.OUTPUT)
    private String report;

    @Parameter
    private LogService log;

    @Parameter(required = false)
    private StatusService status;

    @Override
    public void run() {
        if (dataset == null || !dataset.isDirectory()) {
            cancel("Data set folder not found: " + dataset + ". Choose the folder that holds dataset.json.");
            log.error(getCancelReason());
            return;
        }
        WorkFolder wf = work != null ? new WorkFolder(work.toPath()) : WorkFolder.fromEnvironment();
        try {
            Dataset ds = DatasetLoader.load(dataset.toPath());
            Path plansFile = wf.forDataset(ds).plansFile();
            if (!Files.isRegularFile(plansFile)) {
                cancel(plansFile + " not found: run nnU-Net Plan first.");
                log.error(getCancelReason());
                return;
            }
            List<String> configs = new ArrayList<>();
            for (String c : (configurations == null ? "" : configurations).split("[,\\s]+")) {
                if (!c.isBlank()) {
                    configs.add(c.trim());
                }
            }
            List<PreprocessingResult> results = new DatasetPreprocessor(threads).run(ds, Plans.read(plansFile), configs, wf,
                    new CommandProgress(this, status, log));
            StringBuilder sb = new StringBuilder();
            results.forEach(r -> sb.append(r.toText()));
            report = sb.toString();
            if (results.stream().allMatch(PreprocessingResult::ok)) {
                log.info(report);
            } else {
                log.error(report);
            }
        } catch (CanceledException e) {
            cancel("Preprocessing canceled; finished cases are kept and reused next time");
        } catch (Exception e) {
            cancel("Preprocessing failed: " + e.getMessage());
            log.error(getCancelReason(), e);
        } finally {
            if (status != null) {
                status.clearStatus();
            }
        }
    }
}

package io.github.nnunetfiji.fiji;

import java.io.File;
import java.nio.file.Path;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.plan.PlanStage;
import io.github.nnunetfiji.util.CanceledException;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Fingerprint: measures a data set (shapes, spacings, crop,
 * classes, foreground intensities) and writes {@code dataset_fingerprint.json} into its work
 * folder. Macro: {@code run("nnU-Net Fingerprint", "dataset=/path/to/Task work=/path/to/work");}.
 * Headless-safe: no UI, messages through the log and status bar.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Fingerprint", label = "nnU-Net Fingerprint",
        headless = true)
public class FingerprintCommand extends ContextCommand {

    @Parameter(label = "Data set folder", style = "directory", persist = false,
            description = "Folder with dataset.json, imagesTr/ and labelsTr/")
    private File dataset;

    @Parameter(label = "Work folder", style = "directory", required = false, persist = false,
            description = "Where results go (one subfolder per data set); default $NNUNET_WORK or ./nnunet_work")
    private File work;

    @Parameter(label = "Threads", min = "1", max = "256", required = false, persist = false,
            description = "Cases read in parallel; each holds one case in memory")
    private int threads = 2;

    @Parameter(label = "Fingerprint", type = ItemIO.OUTPUT)
    private String report;

    @Parameter(label = "Fingerprint file", type = ItemIO.OUTPUT)
    private String fingerprintfile;

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
            DatasetFingerprint fp = PlanStage.fingerprint(ds, wf, Math.max(1, threads),
                    new CommandProgress(this, status, log));
            Path file = wf.forDataset(ds).fingerprintFile();
            fingerprintfile = file.toString();
            report = PlanStage.describe(fp) + "Wrote " + file + "\n";
            log.info(report);
        } catch (DatasetException e) {
            cancel(e.getMessage() + "\nRun nnU-Net Validate for every problem and its fix.");
            log.error(getCancelReason());
        } catch (CanceledException e) {
            cancel("Fingerprint canceled");
        } catch (Exception e) {
            cancel("Fingerprint failed: " + e.getMessage());
            log.error(getCancelReason(), e);
        } finally {
            if (status != null) {
                status.clearStatus();
            }
        }
    }
}

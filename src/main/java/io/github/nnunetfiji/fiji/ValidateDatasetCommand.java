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

import io.github.nnunetfiji.dataset.DatasetValidator;
import io.github.nnunetfiji.dataset.ValidationReport;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.util.CanceledException;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Validate: checks a data set folder and reports its summary or
 * every problem. Macro: {@code run("nnU-Net Validate", "dataset=/path/to/Task work=/path/to/work");}.
 * Headless-safe: no UI, messages through the log and status bar.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Validate", label = "nnU-Net Validate",
        headless = true)
public class ValidateDatasetCommand extends ContextCommand {

    @Parameter(label = "Data set folder", style = "directory", persist = false,
            description = "Folder with dataset.json, imagesTr/ and labelsTr/")
    private File dataset;

    @Parameter(label = "Work folder", style = "directory", required = false, persist = false,
            description = "Where results go (one subfolder per data set); default $NNUNET_WORK or ./nnunet_work")
    private File work;

    @Parameter(label = "Threads", min = "1", max = "256", required = false, persist = false,
            description = "Cases read in parallel; each holds one case in memory")
    private int threads = 2;

    @Parameter(label = "Report", type = ItemIO.OUTPUT)
    private String report;

    @Parameter(label = "Valid", type = ItemIO.OUTPUT)
    private boolean valid;

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
            ValidationReport r = new DatasetValidator(threads).validate(dataset.toPath(),
                    new CommandProgress(this, status, log));
            valid = r.isValid();
            report = r.toText();
            if (valid) {
                Path written = DatasetValidator.writeSummary(r, wf);
                report += "Wrote " + written + "\n";
                log.info(report);
            } else {
                report += "Nothing was written.\n";
                log.error(report);
            }
        } catch (CanceledException e) {
            cancel("Validation canceled");
        } catch (Exception e) {
            cancel("Validation failed: " + e.getMessage());
            log.error(getCancelReason(), e);
        } finally {
            if (status != null) {
                status.clearStatus();
            }
        }
    }
}

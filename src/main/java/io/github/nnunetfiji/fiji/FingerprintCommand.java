package io.github.nnunetfiji.fiji;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.pipeline.FingerprintStage;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Fingerprint: measures a data set (shapes, spacings, crop,
 * classes, foreground intensities) and writes {@code dataset_fingerprint.json} into its work
 * folder. Macro: {@code run("nnU-Net Fingerprint", "dataset=/path/to/Task work=/path/to/work");}.
 * Headless-safe: no UI, messages through the log and status bar.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Fingerprint", label = "nnU-Net Fingerprint",
        headless = true)
public class FingerprintCommand extends DatasetStageCommand {

    @Parameter(label = "Fingerprint", type = ItemIO.OUTPUT)
    private String report;

    @Parameter(label = "Fingerprint file", type = ItemIO.OUTPUT)
    private String fingerprintfile;

    @Override
    protected String activity() {
        return "Fingerprint";
    }

    @Override
    protected void runStage(WorkFolder wf) throws Exception {
        FingerprintStage.Result r = new FingerprintStage()
                .run(new FingerprintStage.Request(dataset.toPath(), wf, threads(), false), progress());
        fingerprintfile = r.file().toString();
        report = r.report();
        log().info(report);
    }

    @Override
    public String shownOutput() {
        return "report";
    }
}

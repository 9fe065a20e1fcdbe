package io.github.nnunetfiji.fiji;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.pipeline.ExportModelStage;
import io.github.nnunetfiji.util.CanceledException;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Export Model: a trained model (a configuration's model folder or
 * a data set's models folder) into one zip with a manifest, as {@code nnunet export_model}; nnU-Net
 * Install Model installs it elsewhere. Macro:
 * {@code run("nnU-Net Export Model", "model=[/work/Task/models] output=[/tmp/task.zip]");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Export Model", label = "nnU-Net Export Model",
        headless = true)
public class ExportModelCommand extends NnunetCommand {

    @Parameter(label = "Model folder", style = "directory", persist = false,
            description = "A configuration's model folder (WORK/<data set>/models/<CONFIG>) or the data set's "
                    + "models folder")
    private File model;

    @Parameter(label = "Configurations", required = false, persist = false,
            description = "Names separated by spaces or commas; empty: the selection's choice, else every trained one")
    private String configurations = "";

    @Parameter(label = "Folds", required = false, persist = false,
            description = "e.g. 0 1; empty: the choice's folds, else every trained fold")
    private String folds = "";

    @Parameter(label = "Export file (.zip)", style = "save", persist = false,
            description = "The zip to write (replaced if it exists)")
    private File output;

    @Parameter(label = "Report", type = ItemIO.OUTPUT)
    private String report;

    @Parameter(label = "Export file", type = ItemIO.OUTPUT)
    private String exportfile;


    @Parameter(required = false)
    private StatusService status;

    @Override
    public void run() {
        started();
        if (model == null || !model.isDirectory()) {
            fail("Model folder not found: " + model + ". Give model=[a trained model folder or a data set's models "
                    + "folder].");
            return;
        }
        if (output == null || output.getPath().isBlank()) {
            fail("No export file given: give output=[a file ending in .zip].");
            return;
        }
        try {
            ExportModelStage.Result r = new ExportModelStage().run(new ExportModelStage.Request(model.toPath(),
                    FieldWords.split(configurations), ModelCommandSupport.folds(folds), output.toPath()),
                    new CommandProgress(this, status, log()));
            report = r.report();
            exportfile = r.output().toString();
            log().info(report);
            finished("Exported " + model + " to " + exportfile);
        } catch (CanceledException e) {
            cancel("Export canceled; nothing written");
        } catch (Exception e) {
            fail("Export stopped, nothing written: " + describe(e));
        } finally {
            if (status != null) {
                status.clearStatus();
            }
        }
    }

    private void fail(String reason) {
        cancel(reason);
        log().error(reason);
    }

    @Override
    public String shownOutput() {
        return "report";
    }
}

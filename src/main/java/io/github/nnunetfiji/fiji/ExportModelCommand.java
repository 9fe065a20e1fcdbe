package io.github.nnunetfiji.fiji;

import java.io.File;
import java.util.Arrays;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.pipeline.ExportBioimageioStage;
import io.github.nnunetfiji.pipeline.ExportModelStage;
import io.github.nnunetfiji.util.CanceledException;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Export Model: a trained model (a configuration's model folder or
 * a data set's models folder) into one zip with a manifest, as {@code nnunet export_model}; nnU-Net
 * Install Model installs it elsewhere; or, as format bioimage.io, one configuration and fold for
 * deepImageJ and other bioimage.io tools. Macro:
 * {@code run("nnU-Net Export Model", "model=[/work/Task/models] output=[/tmp/task.zip]");}, or
 * {@code run("nnU-Net Export Model", "model=[/work/Task/models] configurations=2d folds=0 format=bioimage.io
 * testimage=[/data/Task/imagesTr/case_0000.nii.gz] output=[/tmp/task.bioimageio.zip]");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Export Model", label = "nnU-Net Export Model",
        headless = true)
public class ExportModelCommand extends NnunetCommand {

    static final String FORMAT_NNUNET = "nnU-Net (all folds)";
    static final String FORMAT_BIOIMAGEIO = "bioimage.io";

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

    @Parameter(label = "Format", choices = {FORMAT_NNUNET, FORMAT_BIOIMAGEIO}, persist = false,
            description = "nnU-Net: every fold, for nnU-Net Install Model. bioimage.io: one configuration and fold "
                    + "(default 0) for deepImageJ; it leaves out resampling, mirroring, the fold ensemble, "
                    + "postprocessing and the cascade")
    private String format = FORMAT_NNUNET;

    @Parameter(label = "Test image (bioimage.io)", style = "open", required = false, persist = false,
            description = "An image the model was trained for (all channels in one file); its centre becomes the "
                    + "test input")
    private File testimage;

    @Parameter(label = "Authors (bioimage.io)", required = false, persist = false,
            description = "Names separated by commas; empty: the user's name")
    private String authors = "";

    @Parameter(label = "Licence (bioimage.io)", required = false, persist = false,
            description = "An SPDX licence identifier")
    private String license = ExportBioimageioStage.DEFAULT_LICENSE;

    @Parameter(label = "Replace an existing file (bioimage.io)", required = false, persist = false,
            description = "Without it, a bioimage.io export never replaces an existing file")
    private boolean replace;

    @Parameter(label = "Export file (.zip)", style = "save", persist = false,
            description = "The zip to write (an nnU-Net export replaces an existing one)")
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
            if (FORMAT_BIOIMAGEIO.equals(format)) {
                exportBioimageio();
                return;
            }
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

    private void exportBioimageio() throws Exception {
        List<String> configs = FieldWords.split(configurations);
        List<String> foldList = ModelCommandSupport.folds(folds);
        if (configs.size() > 1 || foldList.size() > 1) {
            fail("A bioimage.io export takes one configuration and one fold: give configurations=[one] folds=[one].");
            return;
        }
        if (testimage == null || !testimage.isFile()) {
            fail("Test image not found: " + testimage + ". Give testimage=[an image the model was trained for].");
            return;
        }
        List<String> names = Arrays.stream(authors.split(",")).map(String::trim)
                .filter(a -> !a.isEmpty()).toList();
        ExportBioimageioStage.Result r = new ExportBioimageioStage().run(new ExportBioimageioStage.Request(
                model.toPath(), configs.isEmpty() ? null : configs.get(0), foldList.isEmpty() ? null : foldList.get(0),
                List.of(testimage.toPath()), output.toPath(), replace, names, license, 0),
                new CommandProgress(this, status, log()));
        report = r.report();
        exportfile = r.output().toString();
        log().info(report);
        finished("Exported " + model + " to " + exportfile + " (bioimage.io)");
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

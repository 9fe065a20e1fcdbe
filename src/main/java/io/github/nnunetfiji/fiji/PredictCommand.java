package io.github.nnunetfiji.fiji;

import java.io.File;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.inference.FolderPrediction;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.util.CanceledException;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Predict: segments a folder of cases into an output folder, as
 * {@code nnunet predict} does (same predictor, same files, predictions.json). Macro:
 * {@code run("nnU-Net Predict", "input=[/data/imagesTs] output=[/data/pred] model=[/work/Task/models/3d_fullres] tta=true");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Predict", label = "nnU-Net Predict", headless = true)
public class PredictCommand extends NnunetCommand {

    @Parameter(label = "Input folder", style = "directory", persist = false,
            description = "Cases as in imagesTs: CASE_0000.nii.gz, CASE_0001.nii.gz ... per channel, or one file per case")
    private File input;

    @Parameter(label = "Output folder", style = "directory", persist = false)
    private File output;

    @Parameter(label = "Model folder", style = "directory", persist = false,
            description = "A trained model: WORK/<data set>/models/<CONFIG>")
    private File model;

    @Parameter(label = "Configuration", required = false, persist = false)
    private String configuration = "";

    @Parameter(label = "Folds", required = false, persist = false,
            description = "e.g. '0 1 2' or 'all'; empty: every trained fold")
    private String folds = "";

    @Parameter(label = "Mirroring (test-time augmentation)", required = false, persist = false)
    private boolean tta = true;

    @Parameter(label = "Save probabilities", required = false, persist = false)
    private boolean probabilities;

    @Parameter(label = "Postprocessing", required = false, persist = false)
    private boolean postprocess = true;

    @Parameter(label = "Threads", min = "1", max = "1024", required = false, persist = false)
    private int threads = Runtime.getRuntime().availableProcessors();

    @Parameter(label = "Report", type = ItemIO.OUTPUT)
    private String report;

    @Parameter
    private LogService log;

    @Parameter(required = false)
    private StatusService status;

    @Override
    public void run() {
        started();
        String problem = ModelCommandSupport.check(model);
        if (input == null || !input.isDirectory()) {
            problem = "Input folder not found: " + input + ". Choose the folder with the images to segment.";
        } else if (output == null) {
            problem = "Choose an output folder.";
        }
        if (problem != null) {
            cancel(problem);
            return;
        }
        FolderPrediction.Request r = new FolderPrediction.Request();
        r.inputs = List.of(input.toPath());
        r.output = output.toPath();
        r.model = model.toPath();
        r.configuration = ModelCommandSupport.configuration(configuration);
        r.folds = ModelCommandSupport.folds(folds);
        r.options = PredictionOptions.defaults().withMirror(tta).withProbabilities(probabilities).withThreads(threads);
        r.postprocess = postprocess;
        try (Engine engine = ModelCommandSupport.engine(threads)) {
            FolderPrediction.Result res = FolderPrediction.run(r, engine, new CommandProgress(this, status, log));
            StringBuilder sb = new StringBuilder("Model " + res.modelFolder() + ", " + res.configuration() + ", folds "
                    + res.folds() + ", postprocessing " + res.postprocessing() + "\n");
            for (FolderPrediction.CaseOutcome c : res.cases()) {
                sb.append(c.error() != null ? "FAILED " + c.error() : c.id() + " -> " + c.output()).append('\n');
            }
            sb.append("Wrote ").append(r.output.resolve(FolderPrediction.REPORT)).append('\n');
            report = sb.toString();
            log.info(report);
            if (res.failures() > 0) {
                log.warn(res.failures() + " case(s) failed; the others were written");
                reportFailure(res.failures() + " of " + res.cases().size() + " case(s) failed: "
                        + res.cases().stream().filter(c -> c.error() != null).map(FolderPrediction.CaseOutcome::error)
                                .findFirst().orElse("") + " (all in " + r.output.resolve(FolderPrediction.REPORT) + ")");
            }
            finished("Predicted " + res.cases().size() + " case(s) into " + r.output);
        } catch (CanceledException e) {
            cancel("Prediction canceled; finished cases are kept");
        } catch (Exception e) {
            cancel("Prediction failed: " + e.getMessage());
            log.error(getCancelReason(), e);
        } finally {
            if (status != null) {
                status.clearStatus();
            }
        }
    }

    @Override
    protected String shownOutput() {
        return "report";
    }
}

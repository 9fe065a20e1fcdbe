package io.github.nnunetfiji.fiji;

import java.io.File;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.inference.FolderPrediction;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.pipeline.PredictStage;
import io.github.nnunetfiji.pipeline.PrerequisiteException;
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
        if (input == null || output == null || model == null) {
            cancel("Choose an input folder, an output folder and a model folder.");
            return;
        }
        PredictStage.Request r = new PredictStage.Request(List.of(input.toPath()), output.toPath(), model.toPath(),
                ModelCommandSupport.configuration(configuration), ModelCommandSupport.folds(folds),
                PredictionOptions.defaults().withMirror(tta).withProbabilities(probabilities).withThreads(threads),
                postprocess);
        try {
            PredictStage.Result res = new PredictStage().run(r, new CommandProgress(this, status, log));
            report = res.report();
            log.info(report);
            List<FolderPrediction.CaseOutcome> cases = res.prediction().cases();
            long failures = res.prediction().failures();
            if (!res.ok()) {
                log.warn(failures + " case(s) failed; the others were written");
                reportFailure(failures + " of " + cases.size() + " case(s) failed: "
                        + cases.stream().filter(c -> c.error() != null).map(FolderPrediction.CaseOutcome::error)
                                .findFirst().orElse("") + " (all in " + res.file() + ")");
            }
            finished("Predicted " + cases.size() + " case(s) into " + r.output());
        } catch (CanceledException e) {
            cancel("Prediction canceled; finished cases are kept");
        } catch (PrerequisiteException | IllegalArgumentException e) {
            cancel("Prediction stopped, nothing written: " + e.getMessage());
            log.error(getCancelReason());
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
    public String shownOutput() {
        return "report";
    }
}

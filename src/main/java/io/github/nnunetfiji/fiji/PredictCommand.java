package io.github.nnunetfiji.fiji;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.inference.FolderPrediction;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.pipeline.PredictStage;
import io.github.nnunetfiji.pipeline.PrerequisiteException;
import io.github.nnunetfiji.util.CanceledException;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Predict: segments a folder of cases into an output folder, as
 * {@code nnunet predict} does (same predictor, same files, predictions.json). The model is an
 * installed one by name, or a model folder ({@code modelfolder}, or its path given as
 * {@code model}, as macros written for the folder form do). {@code model} is a text field, not a
 * list of the installed models as in Segment Image: only a {@link org.scijava.command.DynamicCommand}
 * can list them, and scijava-common's {@code --run} cannot run one (its CommandService returns no
 * result for a command that is its own module), while this command must run from {@code --run}. Macro:
 * {@code run("nnU-Net Predict", "input=[/data/imagesTs] output=[/data/pred] model=isbi_2d tta=true");} or
 * {@code run("nnU-Net Predict", "input=[/data/imagesTs] output=[/data/pred] model=[/work/Task/models/3d_fullres]");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Predict", label = "nnU-Net Predict", headless = true)
public class PredictCommand extends NnunetCommand {

    @Parameter(label = "Input folder", style = "directory", persist = false,
            description = "Cases as in imagesTs: CASE_0000.nii.gz, CASE_0001.nii.gz ... per channel, or one file per case")
    private File input;

    @Parameter(label = "Output folder", style = "directory", persist = false)
    private File output;

    @Parameter(label = "Model (installed model's name, or a folder)", required = false, persist = false,
            description = "The name of an installed model (nnU-Net Install Model; nnU-Net About lists them), or the "
                    + "path of a trained model folder")
    private String model = "";

    @Parameter(label = "or model folder", style = "directory", required = false, persist = false,
            description = "A trained model folder (WORK/<data set>/models/<CONFIG>), used instead of the model above")
    private File modelfolder;

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


    @Parameter(required = false)
    private StatusService status;

    /** The engine and models kept for the session; without it (a bare context) they are loaded per run. */
    @Parameter(required = false)
    private NnunetSessionService session;

    @Override
    public void run() {
        started();
        if (input == null || output == null) {
            cancel("Choose an input folder and an output folder (input=[...] output=[...]).");
            return;
        }
        Path folder;
        try {
            folder = ModelCommandSupport.resolveModel(model, modelfolder, ModelRegistry.standard());
        } catch (IllegalArgumentException | IOException e) {
            cancel(e.getMessage());
            return;
        }
        PredictStage.Request r = new PredictStage.Request(List.of(input.toPath()), output.toPath(), folder,
                ModelCommandSupport.configuration(configuration), ModelCommandSupport.folds(folds),
                PredictionOptions.defaults().withMirror(tta).withProbabilities(probabilities).withThreads(threads),
                postprocess);
        try {
            PredictStage.Result res = new PredictStage(session != null ? session.models() : null).run(r,
                    new CommandProgress(this, status, log()));
            report = res.report();
            log().info(report);
            List<FolderPrediction.CaseOutcome> cases = res.prediction().cases();
            long failures = res.prediction().failures();
            if (!res.ok()) {
                log().warn(failures + " case(s) failed; the others were written");
                reportFailure(failures + " of " + cases.size() + " case(s) failed: "
                        + cases.stream().filter(c -> c.error() != null).map(FolderPrediction.CaseOutcome::error)
                                .findFirst().orElse("") + " (all in " + res.file() + ")");
            }
            finished("Predicted " + cases.size() + " case(s) into " + r.output());
        } catch (CanceledException e) {
            cancel("Prediction canceled; finished cases are kept");
        } catch (PrerequisiteException | IllegalArgumentException e) {
            cancel("Prediction stopped, nothing written: " + describe(e));
            log().error(getCancelReason());
        } catch (Exception e) {
            cancel("Prediction failed: " + describe(e));
            log().error(getCancelReason(), e);
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

package io.github.nnunetfiji.fiji;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.pipeline.TrainStage;
import io.github.nnunetfiji.train.Fold;
import io.github.nnunetfiji.train.TrainRequest;
import io.github.nnunetfiji.train.TrainSettings;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.RequestField;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Train: trains one configuration and fold of a preprocessed data
 * set. Shows progress; a cancel stops after the current iteration and leaves a checkpoint that
 * <em>Continue</em> resumes exactly. Macro:
 * {@code run("nnU-Net Train", "dataset=[/path/Task] configuration=2d fold=0 time_limit=15m");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Train", label = "nnU-Net Train", headless = true)
public class TrainCommand extends DatasetStageCommand {

    @Parameter(label = "Configuration", persist = false, description = "A planned configuration, e.g. 2d or 3d_fullres")
    private String configuration = "2d";

    @Parameter(label = "Fold", choices = {"0", "1", "2", "3", "4", "all"}, persist = false)
    private String fold = "0";

    @Parameter(label = "Epochs (0 = the plan's)", min = "0", required = false, persist = false,
            description = "0: the plan's (1000); with Continue, a larger number extends a finished training")
    private int epochs;

    @Parameter(label = "Iterations per epoch (0 = the plan's)", min = "0", required = false, persist = false,
            description = "0: the plan's (250)")
    private int iterations_per_epoch;

    @Parameter(label = "Time limit", required = false, persist = false,
            description = "e.g. 15m or 1h30m; the schedule is fitted to it. Empty: none")
    private String time_limit = "";

    @Parameter(label = "Continue", required = false, persist = false,
            description = "Resume from the latest checkpoint, or extend a finished training")
    private boolean continue_training;

    @Parameter(label = "Splits file", required = false, persist = false,
            description = "Folds in the reference's splits_final.json form; empty: the data set's splits.json")
    private File splits;

    @Parameter(label = "Optimizer", choices = {"sgd", "adam"}, required = false, persist = false)
    private String optimizer = "sgd";

    @Parameter(label = "Elastic deformation", choices = {"default", "on", "off"}, required = false, persist = false,
            description = "default: on for a new training (the paper), as before for a resumed one; off: the"
                    + " reference's current trainer")
    private String elastic = "default";

    @Parameter(label = "Keep validation probabilities", required = false, persist = false,
            description = "The final validation also keeps each case's class probabilities, which Select Model needs"
                    + " to score ensembles")
    private boolean save_probabilities;

    @Parameter(label = "Seed", required = false, persist = false)
    private long seed = TrainRequest.DEFAULT_SEED;

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"}, required = false, persist = false)
    private String device = "auto";

    @Parameter(label = "Report", type = ItemIO.OUTPUT)
    private String report;

    @Override
    protected String activity() {
        return "Training";
    }

    @Override
    protected void runStage(WorkFolder wf) throws Exception {
        TrainRequest.Builder r = new TrainRequest.Builder();
        r.dataset(dataset.toPath());
        r.work(wf);
        r.configuration(configuration == null ? "" : configuration.trim());
        r.fold(Fold.parse(fold));
        r.epochs(epochs > 0 ? epochs : null);
        r.iterationsPerEpoch(iterations_per_epoch > 0 ? iterations_per_epoch : null);
        if (time_limit != null && !time_limit.isBlank()) {
            r.timeLimit(TrainSettings.duration(RequestField.TIME_LIMIT, time_limit));
        }
        r.continueTraining(continue_training);
        r.saveProbabilities(save_probabilities);
        r.splitsFile(splits != null && !splits.getPath().isBlank() ? splits.toPath() : null);
        r.optimizer(TrainSettings.optimizer(optimizer == null ? "sgd" : optimizer));
        r.elastic(TrainSettings.elastic(elastic));
        r.threads(threads());
        r.seed(seed);
        r.device(TrainSettings.device(device == null ? "auto" : device));
        // The report holds the trainer's notes (engine, epochs, validation) as well as the result.
        StringBuilder notes = new StringBuilder();
        Progress shown = progress();
        Progress kept = new Progress() {
            @Override
            public void status(String text) {
                shown.status(text);
            }

            @Override
            public void note(String text) {
                notes.append(text.endsWith("\n") ? text : text + "\n");
                shown.note(text);
            }

            @Override
            public void note(Message text) {
                note(text.render(FijiWording.of(TrainCommand.class)));
            }

            @Override
            public void progress(long done, long total) {
                shown.progress(done, total);
            }

            @Override
            public boolean isCanceled() {
                return shown.isCanceled();
            }
        };
        TrainStage.Result result = new TrainStage().run(r.build(), kept);
        report = notes.append(result.report()).toString();
    }

    @Override
    public String shownOutput() {
        return "report";
    }
}

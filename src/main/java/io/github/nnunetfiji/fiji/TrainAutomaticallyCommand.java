package io.github.nnunetfiji.fiji;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.pipeline.AutoStage;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.train.TrainRequest;
import io.github.nnunetfiji.train.TrainSettings;
import io.github.nnunetfiji.util.RequestField;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Train Automatically: the whole method in one step (validate,
 * plan, preprocess, train every configuration and fold, choose the model), resumable: run it
 * again after a cancel and it continues. Macro:
 * {@code run("nnU-Net Train Automatically", "dataset=/path/to/Task budget=30m");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Train Automatically",
        label = "nnU-Net Train Automatically", headless = true)
public class TrainAutomaticallyCommand extends DatasetStageCommand {

    @Parameter(label = "Time budget", required = false, persist = false,
            description = "The whole run's time, e.g. 30m or 2h; the trainings share it. Empty: the plan's epochs")
    private String budget = "";

    @Parameter(label = "Configurations", required = false, persist = false,
            description = "Names separated by spaces or commas; empty: every planned one")
    private String configurations = "";

    @Parameter(label = "Folds", required = false, persist = false,
            description = "e.g. 0 1 2; empty: every fold of the split")
    private String folds = "";

    @Parameter(label = "Overrides", required = false, persist = false,
            description = "Plan overrides CONFIG.KEY=VALUE separated by spaces, e.g. 2d.patch=256x256")
    private String overrides = "";

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"}, required = false, persist = false)
    private String device = "auto";

    @Parameter(label = "Report", type = ItemIO.OUTPUT)
    private String report;

    @Override
    protected String activity() {
        return "Automatic training";
    }

    @Override
    protected void runStage(WorkFolder wf) throws Exception {
        TrainRequest training = new TrainRequest.Builder().dataset(dataset.toPath()).work(wf).threads(threads())
                .device(TrainSettings.device(device == null ? "auto" : device)).build();
        AutoStage.Request r = new AutoStage.Request(dataset.toPath(), wf, Planners.create(Planners.DEFAULT),
                PlanOverrides.parse(SelectModelCommand.words(overrides)),
                budget == null || budget.isBlank() ? null : TrainSettings.duration(RequestField.BUDGET, budget),
                SelectModelCommand.words(configurations), SelectModelCommand.words(folds), training, threads());
        AutoStage.Result result = new AutoStage().run(r, progress());
        report = result.report();
        if (!result.ok()) {
            fail(report);
            return;
        }
        log.info(report);
    }

    @Override
    public String shownOutput() {
        return "report";
    }
}

package io.github.nnunetfiji.fiji;

import java.util.List;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.pipeline.PlanStage;
import io.github.nnunetfiji.plan.ExperimentPlanner;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.plan.TrainingBudget;
import io.github.nnunetfiji.train.TrainSettings;
import io.github.nnunetfiji.util.RequestField;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Plan: plans every network of a data set from its fingerprint
 * (computed first if missing) and writes {@code plans.json} into its work folder. Macro:
 * {@code run("nnU-Net Plan", "dataset=/path/to/Task work=/path/to/work planner=paper budget=15m overrides=[3d_fullres.batch=4]");}.
 * Headless-safe: no UI, messages through the log and status bar.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Plan", label = "nnU-Net Plan", headless = true)
public class PlanCommand extends DatasetStageCommand {

    @Parameter(label = "Planner", choices = {"paper", "v2"}, required = false, persist = false,
            description = "paper: the 2018 paper's rules; v2: the reference implementation's current rules")
    private String planner = Planners.DEFAULT;

    @Parameter(label = "Time budget", required = false, persist = false,
            description = "The training time one training (one configuration, one fold) will get, e.g. 15m: patch "
                    + "and batch are fitted to it from step times measured on this machine. Empty: the method's plan")
    private String budget = "";

    @Parameter(label = "Overrides", required = false, persist = false,
            description = "Optional, separated by spaces: CONFIG.KEY=VALUE with KEY patch (e.g. 3d_fullres.patch="
                    + "128x128x64), batch, features or epochs; CONFIG 2d, 3d_fullres, 3d_lowres, "
                    + "3d_cascade_fullres or all")
    private String overrides = "";

    @Parameter(label = "Measure again", required = false, persist = false,
            description = "Compute the fingerprint again even if it was made from the same files")
    private boolean force;

    @Parameter(label = "Plans", type = ItemIO.OUTPUT)
    private String summary;

    @Parameter(label = "Plans file", type = ItemIO.OUTPUT)
    private String plansfile;

    @Override
    protected String activity() {
        return "Planning";
    }

    @Override
    protected void runStage(WorkFolder wf) throws Exception {
        ExperimentPlanner p = Planners.create(planner);
        PlanOverrides o = PlanOverrides.parse(splitOverrides(overrides));
        TrainingBudget b = budget == null || budget.isBlank() ? null
                : TrainingBudget.of(TrainSettings.duration(RequestField.BUDGET, budget));
        PlanStage.Result r = new PlanStage().run(new PlanStage.Request(dataset.toPath(), wf, p, o, threads(), force, b,
                null), progress());
        plansfile = r.file().toString();
        summary = r.report();
        log().info(summary);
    }

    /** Overrides are separated by spaces, commas or semicolons. */
    static List<String> splitOverrides(String text) {
        return FieldWords.split(text);
    }

    @Override
    public String shownOutput() {
        return "summary";
    }
}

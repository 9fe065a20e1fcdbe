package io.github.nnunetfiji.fiji;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.ExperimentPlanner;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.PlanStage;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.plan.PlansSummary;
import io.github.nnunetfiji.util.CanceledException;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Plan: plans every network of a data set from its fingerprint
 * (computed first if missing) and writes {@code plans.json} into its work folder. Macro:
 * {@code run("nnU-Net Plan", "dataset=/path/to/Task work=/path/to/work planner=paper overrides=[3d_fullres.batch=4]");}.
 * Headless-safe: no UI, messages through the log and status bar.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Plan", label = "nnU-Net Plan", headless = true)
public class PlanCommand extends ContextCommand {

    @Parameter(label = "Data set folder", style = "directory", persist = false,
            description = "Folder with dataset.json, imagesTr/ and labelsTr/")
    private File dataset;

    @Parameter(label = "Work folder", style = "directory", required = false, persist = false,
            description = "Where results go (one subfolder per data set); default $NNUNET_WORK or ./nnunet_work")
    private File work;

    @Parameter(label = "Planner", choices = {"paper", "v2"}, required = false, persist = false,
            description = "paper: the 2018 paper's rules; v2: the reference implementation's current rules")
    private String planner = Planners.DEFAULT;

    @Parameter(label = "Overrides", required = false, persist = false,
            description = "Optional, separated by spaces: CONFIG.KEY=VALUE with KEY patch (e.g. 3d_fullres.patch="
                    + "128x128x64), batch, features or epochs; CONFIG 2d, 3d_fullres, 3d_lowres, "
                    + "3d_cascade_fullres or all")
    private String overrides = "";

    @Parameter(label = "Threads", min = "1", max = "256", required = false, persist = false,
            description = "Cases read in parallel if the fingerprint must be computed")
    private int threads = 2;

    @Parameter(label = "Plans", type = ItemIO.OUTPUT)
    private String summary;

    @Parameter(label = "Plans file", type = ItemIO.OUTPUT)
    private String plansfile;

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
        ExperimentPlanner p;
        PlanOverrides o;
        try {
            p = Planners.create(planner);
            o = PlanOverrides.parse(splitOverrides(overrides));
        } catch (IllegalArgumentException e) {
            cancel(e.getMessage());
            log.error(getCancelReason());
            return;
        }
        WorkFolder wf = work != null ? new WorkFolder(work.toPath()) : WorkFolder.fromEnvironment();
        try {
            Dataset ds = DatasetLoader.load(dataset.toPath());
            Plans plans = PlanStage.plan(ds, wf, p, o, Math.max(1, threads), new CommandProgress(this, status, log),
                    log::info);
            Path file = wf.forDataset(ds).plansFile();
            plansfile = file.toString();
            summary = PlansSummary.format(plans) + "Wrote " + file + "\n";
            log.info(summary);
        } catch (DatasetException e) {
            cancel(e.getMessage() + "\nRun nnU-Net Validate for every problem and its fix.");
            log.error(getCancelReason());
        } catch (IllegalArgumentException e) {
            cancel("Plan not written: " + e.getMessage());
            log.error(getCancelReason());
        } catch (CanceledException e) {
            cancel("Planning canceled");
        } catch (Exception e) {
            cancel("Planning failed: " + e.getMessage());
            log.error(getCancelReason(), e);
        } finally {
            if (status != null) {
                status.clearStatus();
            }
        }
    }

    /** Overrides are separated by spaces, commas or semicolons. */
    static List<String> splitOverrides(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.trim().split("[\\s,;]+")).filter(s -> !s.isEmpty()).toList();
    }
}

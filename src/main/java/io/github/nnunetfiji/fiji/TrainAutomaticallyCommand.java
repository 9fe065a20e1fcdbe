package io.github.nnunetfiji.fiji;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.cluster.AutoSubmission;
import io.github.nnunetfiji.cluster.NodeCommands;
import io.github.nnunetfiji.cluster.Slurm;
import io.github.nnunetfiji.cluster.SlurmOptions;
import io.github.nnunetfiji.cluster.SlurmRun;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.inference.models.InstalledModel;
import io.github.nnunetfiji.inference.models.ModelInstaller;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.pipeline.AutoStage;
import io.github.nnunetfiji.pipeline.SelectStage;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.train.ModelFolder;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.train.TrainRequest;
import io.github.nnunetfiji.train.TrainSettings;
import io.github.nnunetfiji.util.RequestField;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Train Automatically: the whole method in one step (validate,
 * plan, preprocess, train every configuration and fold, choose the model), resumable: run it
 * again after a cancel and it continues. The chosen model is installed so that Segment Image lists
 * it. Macro:
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

    @Parameter(label = "Epochs (0 = the plan's)", min = "0", required = false, persist = false,
            description = "Epochs of every training; 0: the plan's, or what the time budget fits")
    private int epochs;

    @Parameter(label = "Run on the cluster (SLURM)", required = false, persist = false,
            description = "Submit the trainings as array jobs (a task per fold) and the selection after them, from"
                    + " a Fiji on the cluster's login node; follow the run with 'nnunet status DATASET'")
    private boolean cluster;

    @Parameter(label = "Partition", required = false, persist = false, description = "Empty: the cluster's default")
    private String partition = "";

    @Parameter(label = "Time per job", required = false, persist = false,
            description = "SLURM's form, e.g. 12:00:00 or 2-00:00:00; empty: the partition's default")
    private String jobtime = "";

    @Parameter(label = "CPUs per job", min = "1", required = false, persist = false)
    private int cpus = SlurmOptions.DEFAULT_CPUS;

    @Parameter(label = "Memory per job", required = false, persist = false, description = "e.g. 16G")
    private String memory = SlurmOptions.DEFAULT_MEMORY;

    @Parameter(label = "GPUs per job (gres)", required = false, persist = false, description = "e.g. gpu:1; empty: none")
    private String gres = "";

    @Parameter(label = "Extra #SBATCH options", required = false, persist = false,
            description = "sbatch options separated by ';', e.g. --account=lab; --qos=short")
    private String sbatch = "";

    @Parameter(label = "Command line on the nodes", required = false, persist = false,
            description = "How a node starts the nnU-Net command line; empty: this Fiji's Java with its jars")
    private String launcher = "";

    @Parameter(label = "Install the chosen model", required = false, persist = false,
            description = "Install the chosen configuration(s) so that Segment Image lists them")
    private boolean install = true;

    @Parameter(label = "Report", type = ItemIO.OUTPUT)
    private String report;

    @Parameter(label = "Installed models", type = ItemIO.OUTPUT)
    private String installed = "";

    @Override
    protected String activity() {
        return "Automatic training";
    }

    @Override
    protected void runStage(WorkFolder wf) throws Exception {
        TrainRequest training = new TrainRequest.Builder().dataset(dataset.toPath()).work(wf)
                .threads(cluster ? 0 : threads()).epochs(epochs > 0 ? epochs : null)
                .device(TrainSettings.device(device == null ? "auto" : device)).build();
        AutoStage.Request r = new AutoStage.Request(dataset.toPath(), wf, Planners.create(Planners.DEFAULT),
                PlanOverrides.parse(PlanCommand.splitOverrides(overrides)),
                budget == null || budget.isBlank() ? null : TrainSettings.duration(RequestField.BUDGET, budget),
                FieldWords.split(configurations), FieldWords.split(folds), training, threads());
        if (cluster) {
            submit(r, wf);
            return;
        }
        AutoStage.Result result = new AutoStage().run(r, progress());
        report = result.report();
        if (!result.ok()) {
            fail(report);
            return;
        }
        if (install) {
            report += install(result.selection(), r);
        }
        log().info(report);
    }

    /** Submits the run to the cluster and says how to follow it. */
    private void submit(AutoStage.Request r, WorkFolder wf) throws Exception {
        SlurmOptions options = new SlurmOptions(blankToNull(partition), blankToNull(jobtime), cpus, blankToNull(memory),
                blankToNull(gres), SlurmOptions.extraLines(sbatch),
                launcher == null || launcher.isBlank() ? defaultLauncher() : launcher.trim());
        AutoSubmission.Result result = AutoSubmission.submit(r, options, Slurm.onPath(), progress());
        if (result.run() == null) {
            report = result.prepared().prepared().report();
            fail(report);
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (SlurmRun.Job j : result.run().jobs()) {
            sb.append("Submitted ").append(j.name()).append(" as job ").append(j.latest().jobId()).append(": ")
                    .append(j.script()).append('\n');
        }
        sb.append("Recorded in ").append(SlurmRun.file(java.nio.file.Path.of(result.run().work())))
                .append("; follow the run on the login node with 'nnunet status ").append(dataset).append(" --work ")
                .append(wf.root()).append("'\n");
        report = sb.toString();
        log().info(report);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /**
     * How a node starts the command line when the dialog says nothing: this JVM's Java with this
     * plugin's jar and the jars beside Fiji's (a cluster's nodes see the same installation on the
     * shared file system), or the command line's own script where Fiji was started by it.
     */
    static String defaultLauncher() throws java.net.URISyntaxException {
        String script = System.getenv(NodeCommands.SCRIPT_VARIABLE);
        if (script != null && !script.isBlank()) {
            return script;
        }
        java.nio.file.Path code = java.nio.file.Path.of(TrainAutomaticallyCommand.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        String classPath = java.nio.file.Files.isRegularFile(code) && code.getParent() != null
                && code.getParent().getParent() != null
                        ? code + java.io.File.pathSeparator + code.getParent().getParent().resolve("jars").resolve("*")
                        : System.getProperty("java.class.path");
        return "'" + java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '" + classPath
                + "' " + NodeCommands.MAIN_CLASS;
    }

    /**
     * Installs the chosen configurations as {@code <data set>_<CONFIG>}, replacing an earlier
     * installation of the same name; an ensemble's members are installed one by one, since Segment
     * Image runs one configuration (the ensemble itself runs through Predict with the models folder).
     */
    private String install(SelectStage.Result selection, AutoStage.Request r) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String c : selection.chosen().members()) {
            java.nio.file.Path folder = selection.models().resolve(c);
            if (Plans.read(folder.resolve(ModelFolder.PLANS)).configuration(c).previousStage() != null) {
                sb.append("Not installed: ").append(c).append(" (a cascade's second stage runs with its first stage"
                        + " through Predict with the models folder)\n");
                continue;
            }
            InstalledModel m = ModelInstaller.install(folder, null, ModelRegistry.standard(), true, progress());
            names.add(m.name());
            sb.append("Installed ").append(m.name()).append(" for Segment Image (").append(m.folder()).append(")\n");
        }
        if (selection.chosen().isEnsemble()) {
            sb.append("The chosen ensemble itself runs through nnU-Net Predict with the models folder ")
                    .append(selection.models()).append('\n');
        }
        installed = String.join(" ", names);
        return sb.toString();
    }

    @Override
    public String shownOutput() {
        return "report";
    }
}

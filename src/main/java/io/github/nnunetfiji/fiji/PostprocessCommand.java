package io.github.nnunetfiji.fiji;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.pipeline.ApplyPostprocessingStage;
import io.github.nnunetfiji.pipeline.DeterminePostprocessingStage;
import io.github.nnunetfiji.pipeline.PrerequisiteException;
import io.github.nnunetfiji.postprocess.Postprocessor;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.util.CanceledException;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Postprocess: the largest-component postprocessing, as
 * {@code nnunet postprocess determine|apply}: <em>determine</em> decides a model's rule (the
 * paper's, from its fingerprint, or the reference's, from the folds' cross-validation predictions
 * against the data set's labels) and writes {@code MODEL/postprocessing.json}, which prediction
 * applies; <em>apply</em> postprocesses every label file of a folder into another with the model's
 * rule or a rule file; <em>determine and apply</em> does both. Macro:
 * {@code run("nnU-Net Postprocess", "action=determine model=[/work/Task/models/2d] method=cross-validation dataset=[/data/Task]");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Postprocess", label = "nnU-Net Postprocess",
        headless = true)
public class PostprocessCommand extends NnunetCommand {

    static final String DETERMINE = "determine";
    static final String APPLY = "apply";
    static final String BOTH = "determine and apply";

    @Parameter(label = "Action", choices = {DETERMINE, APPLY, BOTH}, persist = false,
            description = "determine: decide the model's rule (writes postprocessing.json); apply: postprocess a "
                    + "folder of label maps")
    private String action = DETERMINE;

    @Parameter(label = "Model folder", style = "directory", required = false, persist = false,
            description = "A trained model: WORK/<data set>/models/<CONFIG> (not needed to apply a rule file)")
    private File model;

    @Parameter(label = "Configuration", required = false, persist = false,
            description = "Only where the model folder holds several configurations")
    private String configuration = "";

    @Parameter(label = "Method (determine)", choices = {PostprocessingRule.PAPER, PostprocessingRule.CROSS_VALIDATION},
            required = false, persist = false,
            description = "paper: a class that is one component in every training case; cross-validation: what "
                    + "raises the Dice of the folds' validation predictions")
    private String method = PostprocessingRule.PAPER;

    @Parameter(label = "Data set folder (cross-validation)", style = "directory", required = false, persist = false,
            description = "The data set whose labels the validation predictions are compared with")
    private File dataset;

    @Parameter(label = "Input folder (apply)", style = "directory", required = false, persist = false,
            description = "Label maps to postprocess, e.g. nnU-Net Predict's output (with postprocess=false)")
    private File input;

    @Parameter(label = "Output folder (apply)", style = "directory", required = false, persist = false,
            description = "Where the postprocessed label maps go, same file names")
    private File output;

    @Parameter(label = "Rule file (apply)", style = "open", required = false, persist = false,
            description = "A postprocessing.json to apply instead of the model's")
    private File rule;

    @Parameter(label = "Threads", min = "1", max = "256", required = false, persist = false,
            description = "Cases evaluated in parallel (cross-validation)")
    private int threads = 2;

    @Parameter(label = "Report", type = ItemIO.OUTPUT)
    private String report;

    @Parameter(label = "Rule file written", type = ItemIO.OUTPUT)
    private String rulefile;


    @Parameter(required = false)
    private StatusService status;

    @Override
    public void run() {
        started();
        Optional<String> problem = checkInputs();
        if (problem.isPresent()) {
            fail(problem.get());
            return;
        }
        boolean determine = !APPLY.equals(action);
        boolean apply = !DETERMINE.equals(action);
        String config = ModelCommandSupport.configuration(configuration);
        Path modelPath = path(model);
        DeterminePostprocessingStage.Request decide = determine ? new DeterminePostprocessingStage.Request(modelPath,
                config, method, path(dataset), Math.max(1, threads)) : null;
        ApplyPostprocessingStage.Request applying = apply ? new ApplyPostprocessingStage.Request(path(input),
                path(output), modelPath, config, path(rule)) : null;
        StringBuilder text = new StringBuilder();
        try {
            // The stages check their requests and word what is missing by field; both are checked
            // before the first writes anything.
            if (determine) {
                decide.check();
            }
            if (apply) {
                applying.check();
            }
            if (determine) {
                DeterminePostprocessingStage.Result d = new DeterminePostprocessingStage().run(decide,
                        new CommandProgress(this, status, log()));
                rulefile = d.file().toString();
                text.append(d.report());
            }
            if (apply) {
                ApplyPostprocessingStage.Result a = new ApplyPostprocessingStage().run(applying,
                        new CommandProgress(this, status, log()));
                text.append(a.report());
                if (!a.ok()) {
                    long failed = a.files().stream().filter(f -> f.error() != null).count();
                    Postprocessor.FileResult first = a.files().stream().filter(f -> f.error() != null).findFirst()
                            .orElseThrow();
                    reportFailure(failed + " of " + a.files().size() + " file(s) failed, the others were written: "
                            + first.id() + ": " + first.error());
                }
            }
            report = text.toString();
            log().info(report);
            finished(summary(determine, apply));
        } catch (CanceledException e) {
            cancel("Postprocessing canceled; finished files are kept");
        } catch (DatasetException e) {
            fail("Postprocessing stopped, nothing written: " + e.getMessage()
                    + "\nRun nnU-Net Validate for every problem and its fix.");
        } catch (PrerequisiteException | IllegalArgumentException e) {
            fail("Postprocessing stopped, nothing written: " + describe(e));
        } catch (Exception e) {
            cancel("Postprocessing failed: " + describe(e));
            log().error(getCancelReason(), e);
        } finally {
            if (report == null && text.length() > 0) {
                report = text.toString();
            }
            if (status != null) {
                status.clearStatus();
            }
        }
    }

    /**
     * What only this dialog can get wrong: the action, and a rule file with an action that decides
     * the rule. Everything else the stages check ({@link DeterminePostprocessingStage.Request#check},
     * {@link ApplyPostprocessingStage.Request#check}), naming the dialog field through
     * {@link FijiWording}.
     */
    private Optional<String> checkInputs() {
        if (!DETERMINE.equals(action) && !APPLY.equals(action) && !BOTH.equals(action)) {
            return Optional.of("Action '" + action + "': choose action=determine, action=apply or action=[" + BOTH
                    + "].");
        }
        if (!APPLY.equals(action) && present(rule)) {
            return Optional.of("A rule file is only for action=apply: " + BOTH + " applies the rule it determines.");
        }
        return Optional.empty();
    }

    private String summary(boolean determine, boolean apply) {
        String s = determine ? "Wrote the postprocessing rule " + rulefile : "";
        if (apply) {
            s += (s.isEmpty() ? "Postprocessed " : "; postprocessed ") + input + " into " + output;
        }
        return s;
    }

    private static boolean present(File f) {
        return f != null && !f.getPath().isBlank();
    }

    private static Path path(File f) {
        return present(f) ? f.toPath() : null;
    }

    private void fail(String reason) {
        cancel(reason);
        log().error(reason);
    }
}

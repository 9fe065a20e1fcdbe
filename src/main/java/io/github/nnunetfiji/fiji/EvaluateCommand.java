package io.github.nnunetfiji.fiji;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.measure.ResultsTable;
import io.github.nnunetfiji.evaluation.ClassMetrics;
import io.github.nnunetfiji.evaluation.Evaluation;
import io.github.nnunetfiji.pipeline.EvaluateStage;
import io.github.nnunetfiji.pipeline.PrerequisiteException;
import io.github.nnunetfiji.util.CanceledException;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Evaluate: compares a folder of predicted label maps with a
 * folder of references (same case names) as {@code nnunet evaluate} does: Dice, IoU and HD95 (mm)
 * per case and class, their means, written as {@code summary.json}; the table of means goes to the
 * log, and every case and class to a results table (shown unless headless). Macro:
 * {@code run("nnU-Net Evaluate", "predictions=[/data/pred] references=[/data/Task/labelsTr]");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Evaluate", label = "nnU-Net Evaluate",
        headless = true)
public class EvaluateCommand extends NnunetCommand {

    /** Title of the results table. */
    static final String TABLE_TITLE = "nnU-Net Evaluation";

    @Parameter(label = "Predictions folder", style = "directory", persist = false,
            description = "Predicted label maps (.nii.gz, .nii, .tif), e.g. nnU-Net Predict's output folder")
    private File predictions;

    @Parameter(label = "References folder", style = "directory", persist = false,
            description = "Reference label maps with the same case names, e.g. the data set's labelsTr")
    private File references;

    @Parameter(label = "Classes", required = false, persist = false,
            description = "Label values to evaluate, e.g. '1 2'; empty: every value above 0 found")
    private String labels = "";

    @Parameter(label = "Summary file", style = "save", required = false, persist = false,
            description = "Where the JSON goes; empty: summary.json in the predictions folder")
    private File output;

    @Parameter(label = "Threads", min = "1", max = "256", required = false, persist = false,
            description = "Cases evaluated in parallel")
    private int threads = 2;

    @Parameter(label = "Report", type = ItemIO.OUTPUT)
    private String report;

    @Parameter(label = "Summary", type = ItemIO.OUTPUT)
    private String summaryfile;

    @Parameter(label = "Foreground Dice", type = ItemIO.OUTPUT)
    private double foregrounddice = Double.NaN;


    @Parameter(required = false)
    private StatusService status;

    private ResultsTable table;

    @Override
    public void run() {
        started();
        if (predictions == null || !predictions.isDirectory()) {
            fail("Predictions folder not found: " + predictions + ". Give predictions=[the folder of predicted label "
                    + "maps] (nnU-Net Predict writes one).");
            return;
        }
        if (references == null || !references.isDirectory()) {
            fail("References folder not found: " + references + ". Give references=[the folder of reference label "
                    + "maps], e.g. the data set's labelsTr.");
            return;
        }
        List<Integer> classes;
        try {
            classes = classes(labels);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        Path out = output != null && !output.getPath().isBlank() ? output.toPath() : null;
        try {
            EvaluateStage.Result r = new EvaluateStage().run(new EvaluateStage.Request(predictions.toPath(),
                    references.toPath(), classes, out, Math.max(1, threads)), new CommandProgress(this, status, log()));
            report = r.report();
            summaryfile = r.file().toString();
            foregrounddice = r.summary().foregroundDice();
            log().info(report);
            table = table(r.summary());
            if (!GraphicsEnvironment.isHeadless()) {
                table.show(TABLE_TITLE);
            }
            finished(String.format(Locale.ROOT, "Evaluated %d case(s): foreground Dice %.4f; wrote %s",
                    r.summary().cases().size(), foregrounddice, r.file()));
        } catch (CanceledException e) {
            cancel("Evaluation canceled; nothing written");
        } catch (PrerequisiteException | IllegalArgumentException | java.io.IOException e) {
            // A missing or mismatched case, an unreadable file: the message names it.
            fail("Evaluation stopped, nothing written: " + describe(e));
        } catch (Exception e) {
            cancel("Evaluation failed: " + describe(e));
            log().error(getCancelReason(), e);
        } finally {
            if (status != null) {
                status.clearStatus();
            }
        }
    }

    /** The table of the last run: a row per case and class, then a mean row per class and the foreground mean. */
    public ResultsTable table() {
        return table;
    }

    /** Label values from "1 2" or "1,2"; blank: none (every value found). */
    static List<Integer> classes(String text) {
        List<Integer> classes = new ArrayList<>();
        for (String s : ModelCommandSupport.folds(text)) {
            try {
                classes.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Classes: '" + s + "' is not a label value (a whole number); give "
                        + "e.g. labels=[1 2], or leave it empty for every value found.");
            }
        }
        return classes;
    }

    static ResultsTable table(Evaluation.Summary s) {
        ResultsTable t = new ResultsTable();
        t.showRowNumbers(false);
        for (Evaluation.CaseResult c : s.cases()) {
            for (ClassMetrics m : c.metrics()) {
                row(t, c.id(), Integer.toString(m.label()), m.dice(), m.iou(), m.hd95(), m.referenceVoxels(),
                        m.predictionVoxels());
            }
        }
        for (Evaluation.ClassMean m : s.means()) {
            row(t, "mean", Integer.toString(m.label()), m.dice(), m.iou(), m.hd95(), Double.NaN, Double.NaN);
        }
        row(t, "mean", "foreground", s.foregroundDice(), s.foregroundIou(), s.foregroundHd95(), Double.NaN, Double.NaN);
        return t;
    }

    /** One row; NaN (a class in neither map, or a count a mean row has not) shows as NaN. */
    private static void row(ResultsTable t, String id, String label, double dice, double iou, double hd95,
            double referenceVoxels, double predictedVoxels) {
        t.incrementCounter();
        t.addValue("case", id);
        t.addValue("class", label);
        t.addValue("Dice", dice);
        t.addValue("IoU", iou);
        t.addValue("HD95 (mm)", hd95);
        t.addValue("reference voxels", referenceVoxels);
        t.addValue("predicted voxels", predictedVoxels);
    }

    private void fail(String reason) {
        cancel(reason);
        log().error(reason);
    }
}

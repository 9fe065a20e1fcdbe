package io.github.nnunetfiji.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.nnunetfiji.pipeline.EvaluateStage;

/** {@code nnunet evaluate PRED GT}: Dice, IoU and HD95 per class and case. */
public final class EvaluateCli implements CliCommand {

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String summary() {
        return "Dice, IoU and HD95 (mm) of predicted label maps against references";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet evaluate PRED GT [--labels 1 2 ...] [--output FILE] [--threads N]

                Compares every label file in GT with the file of the same case name in PRED:
                Dice, IoU and the 95th-percentile Hausdorff distance in mm (the reference's
                spacing), per class and case; means per class and over the foreground classes.
                A class in neither map of a case has no Dice (null in JSON); such cases are left
                out of the means and counted as 'both empty'. A class in only one of them has
                Dice 0 and HD95 = the image diagonal in mm.

                  PRED             folder of predicted label maps (.nii.gz, .nii, .tif)
                  GT               folder of reference label maps, same case names
                  --labels 1 2 ... classes to evaluate (default: every value above 0 found)
                  --output FILE    where the JSON goes (default PRED/summary.json; never one of
                                   the label files read)
                  --threads N      cases evaluated in parallel (default 2)

                Prints a table. Exit code 0 done, 1 a case is missing or does not match, 2 usage
                (also no PRED folder yet, or an --output that is one of the label files).
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("labels...", "output", "threads");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        args.expectPositional("PRED", "GT");
        List<Integer> labels = new ArrayList<>();
        for (String l : args.list("labels")) {
            try {
                labels.add(Integer.parseInt(l));
            } catch (NumberFormatException e) {
                throw new Args.UsageException("--labels takes label values (whole numbers), got " + l);
            }
        }
        EvaluateStage.Request r = new EvaluateStage.Request(args.path(0), args.path(1), labels,
                args.has("output") ? Path.of(args.get("output", null)) : null, args.getInt("threads", 2, 1, 256));
        EvaluateStage.Result result;
        try {
            result = new EvaluateStage().run(r, new ConsoleProgress(out));
        } catch (IOException e) {
            // Documented as exit code 1: a folder or case is missing or does not match.
            err.println(CliWording.of(name()).describe(e));
            return PROBLEMS;
        }
        out.print(result.report());
        return OK;
    }
}

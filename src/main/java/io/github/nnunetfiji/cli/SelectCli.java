package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.util.Set;

import io.github.nnunetfiji.pipeline.SelectStage;

/** {@code nnunet select DATASET}: the method's choice of configuration or ensemble. */
public final class SelectCli implements CliCommand {

    @Override
    public String name() {
        return "select";
    }

    @Override
    public String summary() {
        return "choose the best configuration or ensemble by cross-validation, with its postprocessing";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet select DATASET [--work DIR] [-c CONFIG ...] [--folds 0 1 ...] [--threads N]

                Scores every trained configuration, and every pair of them (the mean of their
                class probabilities), by the mean foreground Dice over the cross-validation: the
                final validations of the folds, on the folds every configuration has finished
                (a fold missing in one configuration is left out for all; the report says which).
                Pairs are scored where both configurations kept their validation probabilities
                ('nnunet train ... --save-probabilities'; with --continue on a finished fold it
                adds them). The best candidate is chosen (on a tie: fewer members, then 2d,
                3d_fullres, 3d_lowres, 3d_cascade_fullres first), and its postprocessing decided
                on its own cross-validation predictions.

                  DATASET          the data set folder (its labels score the ensembles)
                  --work DIR       work folder (default: $NNUNET_WORK, else ./nnunet_work)
                  -c CONFIG ...    the configurations to compare (default: every trained one)
                  --folds 0 1 ...  the folds to score on (default: those all have finished)
                  --threads N      cases evaluated in parallel for the postprocessing (default 2)

                Writes WORK/<data set>/models/chosen_model.json (the choice, which
                'nnunet predict -m WORK/<data set>/models' then runs), selection.json (every
                candidate's Dice per class and mean), selection.png (the same as a picture), the
                choice's postprocessing.json (in its model folder, or for an ensemble in
                models/ensembles/NAME/ with its cross-validation predictions). Exit code 0 done,
                2 nothing trained yet (or a fold asked for is not finished), 3 I/O error.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("work", "configurations", "folds...", "threads");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        args.expectPositional("DATASET");
        SelectStage.Request r = new SelectStage.Request(args.path(0), args.workFolder(), args.configurations(),
                AutoCli.folds(args), args.getInt("threads", 2, 1, 256));
        out.print(new SelectStage().run(r, new ConsoleProgress(out)).report());
        return OK;
    }
}

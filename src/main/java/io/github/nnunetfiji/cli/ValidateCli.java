package io.github.nnunetfiji.cli;

import java.io.PrintStream;

import io.github.nnunetfiji.pipeline.ValidateStage;

/** {@code nnunet validate DATASET}: checks a data set and summarises it. */
public final class ValidateCli implements CliCommand {

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String summary() {
        return "check a data set folder and print its summary (or every problem)";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet validate DATASET [--work DIR] [--threads N]

                Checks a data set folder (dataset.json, imagesTr/, labelsTr/): missing or extra
                files, channel counts, image/label shape, spacing and orientation, undeclared
                label values, NaN or infinite intensities, paths escaping the folder. Prints a
                summary (cases, channels, shape and spacing ranges, labels) or every problem
                with the file and the fix.

                  DATASET        the data set folder
                  --work DIR     work folder (default: $NNUNET_WORK, else ./nnunet_work)
                  --threads N    cases read in parallel, each held in memory (default 2)

                Writes WORK/<data set folder name>/dataset_summary.json when the data set is
                valid; writes nothing otherwise. Exit code 0 valid, 1 problems, 2 usage.
                """;
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        args.expectPositional("DATASET");
        ValidateStage.Request request = new ValidateStage.Request(args.path(0), args.workFolder(),
                args.getInt("threads", 2, 1, 256));
        ValidateStage.Result r = new ValidateStage().run(request, new ConsoleProgress(out));
        (r.ok() ? out : err).print(r.report());
        return r.ok() ? OK : PROBLEMS;
    }
}

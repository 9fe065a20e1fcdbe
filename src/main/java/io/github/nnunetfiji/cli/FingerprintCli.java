package io.github.nnunetfiji.cli;

import java.io.PrintStream;

import io.github.nnunetfiji.pipeline.FingerprintStage;

/** {@code nnunet fingerprint DATASET}: what the data set looks like, for the planner. */
public final class FingerprintCli implements CliCommand {

    @Override
    public String name() {
        return "fingerprint";
    }

    @Override
    public String summary() {
        return "measure the data set: shapes, spacings, crop, classes, intensities";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet fingerprint DATASET [--work DIR] [--threads N]

                Reads every training case once and records its shape, spacing, nonzero bounding
                box (the crop), shape after crop, the classes present and their connected
                components (voxels sharing a face), and per channel the foreground intensity
                statistics (mean, median, std, min, max, 0.5 and 99.5 percentiles), every case
                with foreground weighted equally as in the reference, with the pooled mean and
                std for information. Also the median shape, spacing and size after crop. Exits
                with 1 if no case has a foreground voxel.
                The result does not depend on the number of threads.

                  DATASET        the data set folder
                  --work DIR     work folder (default: $NNUNET_WORK, else ./nnunet_work)
                  --threads N    cases read in parallel, each held in memory (default 2)

                Writes WORK/<data set folder name>/dataset_fingerprint.json, and what it was made
                from (size, modification time and content hash of every file) under provenance/,
                so 'plan' knows when it is out of date.
                """;
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        args.expectPositional("DATASET");
        int threads = args.getInt("threads", 2, 1, 256);
        FingerprintStage.Request request = new FingerprintStage.Request(args.path(0), args.workFolder(), threads, false);
        out.print(new FingerprintStage().run(request, new ConsoleProgress(out)).report());
        return OK;
    }
}

package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.util.Set;

import io.github.nnunetfiji.pipeline.PreprocessStage;
import io.github.nnunetfiji.preprocess.PreprocessingResult;

/** {@code nnunet preprocess DATASET [-c CONFIG ...]}: crop, resample, normalize and store, as planned. */
public final class PreprocessCli implements CliCommand {

    @Override
    public String name() {
        return "preprocess";
    }

    @Override
    public String summary() {
        return "crop, resample, normalize and store the training cases as the plan says";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet preprocess DATASET [-c CONFIG ...] [--work DIR] [--threads N] [--force]

                Preprocesses every training case for the planned configurations: crop to the
                nonzero region, normalize per channel (CT or z-score, inside the nonzero mask
                where planned), resample to the target spacing (cubic B-spline for images, the
                plan's rule for labels, anisotropic axes separately), sample class locations,
                and store each case for fast patch reads. Needs plans.json (run 'nnunet plan').
                An interrupted run resumes: a finished case is reused only if it was made from
                the same files (size, modification time, content), the same plan and the same
                data set statistics; a case whose files or plan changed is preprocessed again.
                A case that fails is reported by name and the others still finish.

                  DATASET        the data set folder
                  -c CONFIG ...  configurations (default: all planned), e.g. -c 2d 3d_fullres
                  --work DIR     work folder (default: $NNUNET_WORK, else ./nnunet_work)
                  --threads N    cases processed in parallel, each held in memory (default 2)
                  --force        preprocess every case again, even those that are current

                Writes WORK/<data set>/preprocessed/<data identifier>/CASE.{json,img,seg} and
                preprocessing.json there, and what each case was made from under
                WORK/<data set>/provenance/. Exit code 0 done, 1 some cases failed, 2 usage (also:
                no plans.json in the work folder), 3 I/O error (e.g. a full disk, naming the file).
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("work", "threads", "configurations");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("force");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        args.expectPositional("DATASET");
        PreprocessStage.Request request = new PreprocessStage.Request(args.path(0), args.workFolder(), null,
                args.configurations(), args.getInt("threads", 2, 1, 256), args.has("force"));
        return print(CliCommand.usageErrors(() -> new PreprocessStage().run(request, new ConsoleProgress(out))), out, err);
    }

    /** Prints one line per configuration (failed cases on the error stream); shared with plan_and_preprocess. */
    static int print(PreprocessStage.Result result, PrintStream out, PrintStream err) {
        for (PreprocessingResult r : result.configurations()) {
            (r.ok() ? out : err).print(r.toText());
            out.println("Wrote " + PreprocessStage.Result.indexFile(r));
        }
        return result.ok() ? OK : PROBLEMS;
    }
}

package io.github.nnunetfiji.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.DatasetPreprocessor;
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
                Usage: nnunet preprocess DATASET [-c CONFIG ...] [--work DIR] [--threads N]

                Preprocesses every training case for the planned configurations: crop to the
                nonzero region, normalize per channel (CT or z-score, inside the nonzero mask
                where planned), resample to the target spacing (cubic B-spline for images, the
                plan's rule for labels, anisotropic axes separately), sample class locations,
                and store each case for fast patch reads. Needs plans.json (run 'nnunet plan').
                An interrupted run resumes: finished cases are reused if the plan is unchanged.
                A case that fails is reported by name and the others still finish.

                  DATASET        the data set folder
                  -c CONFIG ...  configurations (default: all planned), e.g. -c 2d 3d_fullres
                  --work DIR     work folder (default: $NNUNET_WORK, else ./nnunet_work)
                  --threads N    cases processed in parallel, each held in memory (default 2)

                Writes WORK/<data set>/preprocessed/<data identifier>/CASE.{json,img,seg} and
                preprocessing.json there. Exit code 0 done, 1 some cases failed, 2 usage (also:
                no plans.json in the work folder), 3 I/O error (e.g. a full disk, naming the file).
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("work", "threads", "configurations");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        args.expectPositional("DATASET");
        Dataset ds = DatasetLoader.load(args.path(0));
        WorkFolder work = args.workFolder();
        Plans plans = readPlans(work, ds);
        checkConfigurations(plans, args.configurations());
        int threads = args.getInt("threads", 2, 1, 256);
        return runPreprocessing(ds, plans, args.configurations(), work, threads, out, err);
    }

    /** Unknown configuration names are a usage error that lists the planned ones. */
    static void checkConfigurations(Plans plans, List<String> configs) throws Args.UsageException {
        for (String c : configs) {
            if (!plans.has(c)) {
                throw new Args.UsageException("configuration '" + c + "' is not planned; planned: "
                        + String.join(", ", plans.configurations().keySet()));
            }
        }
    }

    /** Reads the plans of a data set; without them the command was used too early (a usage error). */
    static Plans readPlans(WorkFolder work, Dataset ds) throws IOException, Args.UsageException {
        Path file = work.forDataset(ds).plansFile();
        if (!Files.isRegularFile(file)) {
            throw new Args.UsageException(file + " not found: plan the data set first ('nnunet plan " + ds.root()
                    + " --work " + work.root() + "'), or give with --work DIR the work folder it was planned in");
        }
        return Plans.read(file);
    }

    /** Runs preprocessing and prints one line per configuration; shared with plan_and_preprocess. */
    static int runPreprocessing(Dataset ds, Plans plans, List<String> configs, WorkFolder work, int threads,
            PrintStream out, PrintStream err) throws IOException {
        List<PreprocessingResult> results = new DatasetPreprocessor(threads).run(ds, plans, configs, work,
                new ConsoleProgress(out));
        boolean ok = true;
        for (PreprocessingResult r : results) {
            (r.ok() ? out : err).print(r.toText());
            ok &= r.ok();
            out.println("Wrote " + r.folder().resolve(DatasetPreprocessor.INDEX_FILE));
        }
        return ok ? OK : PROBLEMS;
    }
}

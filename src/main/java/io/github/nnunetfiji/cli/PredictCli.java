package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.io.ImageFileException;
import io.github.nnunetfiji.pipeline.PredictStage;

/** {@code nnunet predict -i IN -o OUT -m MODEL ...}: segment cases with a trained model. */
public final class PredictCli implements CliCommand {

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "segment images with a trained model (sliding window, mirroring, fold ensemble)";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet predict -i IN [FILE ...] -o OUT -m MODEL [-c CONFIG] [--folds 0 1 ...]
                                      [--no-tta] [--step 0.5] [--save-probabilities]
                                      [--no-postprocessing] [--threads N]

                Segments every case: preprocessed exactly as for training, predicted with
                overlapping tiles weighted by a Gaussian, averaged over every mirroring
                (test-time augmentation) and over the folds, resampled back, argmax,
                uncropped, postprocessed, and written with the input's geometry.

                  -i IN                  a folder of cases (CASE_0000.nii.gz, CASE_0001.nii.gz, ...
                                         one file per channel as in imagesTs, or one file per case
                                         holding every channel) or an image file; more files may
                                         follow
                  -o OUT                 output folder: OUT/CASE.nii.gz (or .tif, as the input)
                  -m MODEL               trained model folder (WORK/<data set>/models/<CONFIG>) or
                                         the models folder holding one per configuration; with
                                         no -c, a models folder runs the model 'nnunet select'
                                         chose (its configuration or ensemble, folds and
                                         postprocessing)
                  -c CONFIG              the configuration when MODEL holds several
                  --folds 0 1 ...        folds to ensemble, or 'all' (default: every trained fold)
                  --no-tta               no mirroring: about 8x (3D) or 4x (2D) faster
                  --step S               tile step as a fraction of the patch, (0, 1] (default 0.5)
                  --save-probabilities   also write OUT/CASE_probabilities.nii.gz, one float
                                         channel per class
                  --no-postprocessing    skip the model's postprocessing (postprocessing.json, else
                                         the paper's rule from the model's fingerprint)
                  --threads N            threads for the network and resampling (default: all)

                Writes OUT/predictions.json (model, folds, augmentation, postprocessing, every
                case's outcome). Files are written atomically. A case that fails is named with
                its reason and the others still finish. OUT may not be a folder of the inputs.
                Exit code 0 done, 1 some cases failed, 2 usage (also OUT a folder of the inputs,
                and a missing or incomplete model folder), 3 I/O or unexpected error, 4 another prediction
                writes into OUT.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("i", "o", "m", "configurations", "folds...", "step", "threads");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("no-tta", "save-probabilities", "no-postprocessing");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        if (!args.has("i") || !args.has("o") || !args.has("m")) {
            throw new Args.UsageException("-i IN, -o OUT and -m MODEL are required");
        }
        if (args.configurations().size() > 1) {
            throw new Args.UsageException("-c takes one configuration for prediction");
        }
        List<Path> inputs = new ArrayList<>();
        inputs.add(Path.of(args.get("i", null)));
        for (String extra : args.positional()) {
            inputs.add(Path.of(extra));
        }
        double step;
        try {
            step = Double.parseDouble(args.get("step", "0.5"));
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--step must be a number in (0, 1], got " + args.get("step", ""));
        }
        if (!(step > 0 && step <= 1)) {
            throw new Args.UsageException("--step must be in (0, 1], got " + step);
        }
        int threads = args.getInt("threads", Runtime.getRuntime().availableProcessors(), 1, 1024);
        PredictStage.Request r = new PredictStage.Request(inputs, Path.of(args.get("o", null)), Path.of(args.get("m", null)),
                args.configurations().isEmpty() ? null : args.configurations().get(0), args.list("folds"),
                PredictionOptions.defaults().withStep(step).withMirror(!args.has("no-tta"))
                        .withProbabilities(args.has("save-probabilities")).withThreads(threads),
                !args.has("no-postprocessing"));
        PredictStage.Result res;
        try {
            res = new PredictStage().run(r, new ConsoleProgress(out));
        } catch (ImageFileException e) {
            // Documented as exit code 1: an unreadable input (a missing or incomplete model is exit code 2).
            err.println(CliWording.of(name()).describe(e));
            return PROBLEMS;
        }
        CliCommand.print(res, out, err);
        return res.ok() ? OK : PROBLEMS;
    }
}

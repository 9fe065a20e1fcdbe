package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

import io.github.nnunetfiji.pipeline.ExportBioimageioStage;
import io.github.nnunetfiji.pipeline.ExportModelStage;

/**
 * {@code nnunet export_model -m MODEL -o FILE.zip}: a trained model in one file, for another machine;
 * with {@code --bioimageio}, one configuration and fold in the bioimage.io model format instead.
 */
public final class ExportModelCli implements CliCommand {

    @Override
    public String name() {
        return "export_model";
    }

    @Override
    public String summary() {
        return "write a trained model (what prediction needs) into one zip with a manifest";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet export_model -m MODEL [-c CONFIG ...] [--folds 0 1 ...] -o FILE.zip

                Writes what prediction reads into one zip, for 'nnunet import_model' or Fiji's
                nnU-Net Install Model on another machine: per configuration plans.json,
                dataset.json, dataset_fingerprint.json, postprocessing.json and splits.json
                (where present) and each fold's inference_model/ (no checkpoints, logs or
                validation predictions); the selection's chosen_model.json, selection.json and
                an ensemble's ensembles/NAME/postprocessing.json where all the choice names is
                exported; and manifest.json (the data set, configurations, folds, this version,
                the time, and every file's size and SHA-256). A cascade's second stage takes its
                first stage along. The zip is written whole or not at all.

                  -m MODEL         a configuration's model folder (WORK/<data set>/models/CONFIG)
                                   or the data set's models folder
                  -c CONFIG ...    the configurations (default: the selection's choice where
                                   models/chosen_model.json exists, else the folder's own, else
                                   every trained one)
                  --folds 0 1 ...  the folds (default: the choice's, else every trained fold)
                  -o FILE.zip      the zip to write (replaced if it exists)

                nnunet export_model --bioimageio -m MODEL [-c CONFIG] [--folds K] --image FILE ...
                                    -o FILE.zip [--replace] [--author NAMES] [--license SPDX]

                Writes one configuration and one fold (default 0) in the bioimage.io model
                format (rdf.yaml 0.5, TensorFlow SavedModel weights, test input and output cut
                from the test image, a cover, README.md), for deepImageJ and other bioimage.io
                tools. That format cannot state resampling to the plan's spacing, mirroring,
                the fold ensemble, postprocessing or the cascade: predict does more.

                  --image FILE ... the test image: one file with all channels, or one per channel
                  --replace        replace FILE.zip if it exists (else refused)
                  --author NAMES   the model's authors, separated by commas (default: the
                                   user's name)
                  --license SPDX   the licence, an SPDX identifier (default CC-BY-4.0)
                  --threads N      engine threads (default: all cores)

                Exit code 0 done, 1 bad input, 2 wrong usage or a model not trained (a
                configuration or fold missing), 3 I/O error.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("m", "o", "configurations", "folds...", "image...", "author", "license", "threads");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("bioimageio", "replace");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        if (!args.has("m") || !args.has("o")) {
            throw new Args.UsageException("-m MODEL and -o FILE.zip are required");
        }
        if (!args.positional().isEmpty()) {
            throw new Args.UsageException("unexpected argument " + args.positional().get(0));
        }
        if (args.has("bioimageio")) {
            return bioimageio(args, out);
        }
        for (String only : new String[] {"image", "author", "license", "replace", "threads"}) {
            if (args.has(only)) {
                throw new Args.UsageException("--" + only + " belongs to --bioimageio exports");
            }
        }
        ExportModelStage.Request r = new ExportModelStage.Request(Path.of(args.get("m", null)), args.configurations(),
                args.list("folds"), Path.of(args.get("o", null)));
        out.print(CliCommand.usageErrors(() -> new ExportModelStage().run(r, new ConsoleProgress(out))).report());
        return OK;
    }

    private static int bioimageio(Args args, PrintStream out) throws Exception {
        if (args.configurations().size() > 1 || args.list("folds").size() > 1) {
            throw new Args.UsageException("--bioimageio exports one configuration (-c CONFIG) and one fold (--folds K)");
        }
        if (!args.has("image")) {
            throw new Args.UsageException("--bioimageio needs a test image: --image FILE (one per channel)");
        }
        ExportBioimageioStage.Request r = new ExportBioimageioStage.Request(Path.of(args.get("m", null)),
                args.configurations().isEmpty() ? null : args.configurations().get(0),
                args.list("folds").isEmpty() ? null : args.list("folds").get(0),
                args.list("image").stream().map(Path::of).toList(), Path.of(args.get("o", null)), args.has("replace"),
                java.util.Arrays.stream(args.get("author", "").split(",")).map(String::trim)
                        .filter(a -> !a.isEmpty()).toList(), args.get("license", null), args.getInt("threads", 0, 0, 1024));
        out.print(CliCommand.usageErrors(() -> new ExportBioimageioStage().run(r, new ConsoleProgress(out))).report());
        return OK;
    }
}

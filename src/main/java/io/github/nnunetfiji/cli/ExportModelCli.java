package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

import io.github.nnunetfiji.pipeline.ExportModelStage;

/** {@code nnunet export_model -m MODEL -o FILE.zip}: a trained model in one file, for another machine. */
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

                Exit code 0 done, 1 bad input, 2 wrong usage or a model not trained (a
                configuration or fold missing), 3 I/O error.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("m", "o", "configurations", "folds...");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        if (!args.has("m") || !args.has("o")) {
            throw new Args.UsageException("-m MODEL and -o FILE.zip are required");
        }
        if (!args.positional().isEmpty()) {
            throw new Args.UsageException("unexpected argument " + args.positional().get(0));
        }
        ExportModelStage.Request r = new ExportModelStage.Request(Path.of(args.get("m", null)), args.configurations(),
                args.list("folds"), Path.of(args.get("o", null)));
        out.print(CliCommand.usageErrors(() -> new ExportModelStage().run(r, new ConsoleProgress(out))).report());
        return OK;
    }
}

package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import io.github.nnunetfiji.inference.models.InstalledModel;
import io.github.nnunetfiji.inference.models.ModelInstaller;
import io.github.nnunetfiji.inference.models.ModelRefusedException;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.pipeline.ReferenceModelImport;

/** {@code nnunet import_model FILE.zip}: installs an exported model into the models folder. */
public final class ImportModelCli implements CliCommand {

    @Override
    public String name() {
        return "import_model";
    }

    @Override
    public String summary() {
        return "install an exported model (or a model folder, a zip of one, or a model the reference nnU-Net v2 "
                + "trained) into the models folder";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet import_model FILE.zip [--name NAME] [--replace] [--models DIR]
                       nnunet import_model --from-reference ZIP_OR_FOLDER [--name NAME] [--replace] [--models DIR]

                Installs a model that 'nnunet export_model' wrote (also a trained model folder,
                or a zip of one) as MODELS/NAME, all or nothing, as Fiji's nnU-Net Install Model
                does. An export is checked against its manifest.json first: every file listed
                present with its size and SHA-256, and no file it does not list. Zips are refused
                for links, entries outside the folder or twice, and more than 16 GiB, 10,000
                entries or a 100-fold expansion (a zip bomb). Nothing is written when a check
                fails. An export of several configurations installs as a models folder, one
                folder per configuration (with the selection's choice, if exported): predict
                -m MODELS/NAME runs the choice, -c CONFIG one configuration.

                With --from-reference (also chosen by itself for such a source), a model the
                reference implementation (nnU-Net v2, PyTorch) trained: its trainer folder
                TRAINER__PLANS__CONFIG (such as nnUNetTrainer__nnUNetPlans__2d, or the
                DatasetXXX_Name folder above it) with plans.json, dataset.json and
                fold_K/checkpoint_final.pth (else checkpoint_best.pth), or the zip
                nnUNetv2_export_model_to_zip wrote. Each fold's weights become the engine's
                network; plans.json becomes this project's (normalization, CT statistics,
                spacing, resampling, axes, mirroring axes of the checkpoint), and the
                reference's postprocessing.json for exactly these folds its rule. What this
                project cannot run as the reference would (another network class such as
                ResidualEncoderUNet, another normalization or resampling, a cascade's second
                stage, regions) is refused, named. The reference's own files are kept in
                MODELS/NAME/reference/.

                  FILE.zip         the export (or a model folder, or a zip of one)
                  --from-reference ZIP_OR_FOLDER
                                   a model the reference implementation trained
                  --name NAME      the installed name (default: the zip's base name;
                                   DatasetXXX_Name_CONFIG for a reference trainer folder)
                  --replace        replace an installed model of that name
                  --models DIR     the models folder (default: -Dnnunet.models.dir, else
                                   $NNUNET_MODELS_DIR, else ~/.nnunet/models)

                Prints the installed folder. Exit code 0 installed, 1 the file is refused (named,
                with the reason), 2 wrong usage (also a name already installed without
                --replace), 3 I/O error, 4 the models folder is in use by another installation of
                that name.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("name", "models", "from-reference");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("replace");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        boolean fromReference = args.has("from-reference");
        Path source;
        if (fromReference) {
            args.expectPositional();
            source = Path.of(args.get("from-reference", null));
        } else {
            args.expectPositional("FILE.zip");
            source = args.path(0);
        }
        if (!Files.exists(source)) {
            err.println("nnunet import_model: " + source + " not found; give " + (fromReference
                    ? "the reference's trained model folder (TRAINER__PLANS__CONFIG) or its exported zip."
                    : "the zip export_model wrote."));
            return PROBLEMS;
        }
        ModelRegistry registry = args.has("models") ? new ModelRegistry(Path.of(args.get("models", null)))
                : ModelRegistry.standard();
        InstalledModel m;
        try {
            boolean reference = fromReference || ReferenceModelImport.isReferenceModel(source);
            m = CliCommand.usageErrors(() -> reference
                    ? ReferenceModelImport.install(source, args.get("name", null), registry, args.has("replace"),
                            new ConsoleProgress(out))
                    : ModelInstaller.install(source, args.get("name", null), registry, args.has("replace"),
                            new ConsoleProgress(out)));
        } catch (ModelRefusedException e) {
            err.println("nnunet import_model: " + e.getMessage());
            err.println("Nothing was installed.");
            return PROBLEMS;
        }
        out.println("Installed " + m.name() + " (" + m.datasetName() + ", " + String.join(" ", m.configurations())
                + ", folds " + String.join(" ", m.folds()) + ") in " + m.folder());
        return OK;
    }
}

package io.github.nnunetfiji.fiji;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.scijava.command.DynamicCommand;
import org.scijava.log.Logger;
import org.scijava.module.MutableModuleItem;

import io.github.nnunetfiji.inference.models.InstalledModel;
import io.github.nnunetfiji.inference.models.ModelRegistry;

/** What the prediction commands share: the model, folds and configuration from their fields. */
final class ModelCommandSupport {

    private ModelCommandSupport() {
    }

    /** Folds separated by spaces or commas ("0 1 2", "all"); blank means every trained fold. */
    static List<String> folds(String text) {
        return FieldWords.split(text);
    }

    static String configuration(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    static String check(File model) {
        if (model == null || !model.isDirectory()) {
            return "Model folder not found: " + model + ". Choose a trained model folder (WORK/<data set>/models/<CONFIG>).";
        }
        return null;
    }

    /**
     * The model folder a user chose: {@code folder} if given, else the installed model named
     * {@code model}, else {@code model} read as a folder path (macros written for the folder form).
     *
     * @throws IllegalArgumentException naming what was looked for, the installed models and the fix
     */
    static Path resolveModel(String model, File folder, ModelRegistry registry) throws IOException {
        if (folder != null && !folder.getPath().isBlank()) {
            String problem = check(folder);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            return folder.toPath();
        }
        String name = model == null ? "" : model.trim();
        if (!name.isEmpty() && !name.equals(NO_MODEL)) {
            Optional<InstalledModel> installed = registry.find(name);
            if (installed.isPresent()) {
                return installed.get().folder();
            }
            Path p = Path.of(name);
            if (p.isAbsolute() && Files.isDirectory(p)) {
                return p;
            }
        }
        List<String> names = registry.names();
        throw new IllegalArgumentException((name.isEmpty() || name.equals(NO_MODEL) ? "No model chosen"
                : "No installed model or model folder '" + name + "'") + ". Installed models in " + registry.folder()
                + ": " + (names.isEmpty() ? "none" : String.join(", ", names))
                + ". Give model=NAME, or modelfolder=[a trained model folder], or install one with nnU-Net Install Model.");
    }

    /** The choice shown when no model is installed (a choice list cannot be empty). */
    static final String NO_MODEL = "(no installed model: choose a model folder)";

    /**
     * Makes the input {@code model} of {@code command} a choice of the installed models (before the
     * dialog; a macro may still give any name or folder path).
     */
    static void listInstalledModels(DynamicCommand command, Logger log) {
        List<String> names = new ArrayList<>();
        try {
            names.addAll(ModelRegistry.standard().names());
        } catch (IOException e) {
            log.warn("Cannot list the installed models: " + e.getMessage());
        }
        if (names.isEmpty()) {
            names.add(NO_MODEL);
        }
        MutableModuleItem<String> item = command.getInfo().getMutableInput("model", String.class);
        item.setChoices(names);
    }
}

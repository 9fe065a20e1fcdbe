package io.github.nnunetfiji.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.github.nnunetfiji.util.Json;

/**
 * The model selection's choice, {@code WORK/<data set>/models/chosen_model.json}: the
 * configuration, or the configurations whose probabilities are averaged, the folds of each, and
 * the postprocessing rule decided on the cross-validation of exactly that choice. Predicting with
 * the models folder and no configuration runs it.
 *
 * @param name                 the choice's name (a configuration, or members joined by {@code +})
 * @param configurations       the model folders, {@code models/CONFIG}, averaged where several
 * @param folds                the folds of each, ensembled
 * @param postprocessing       the rule's file, relative to the models folder
 * @param crossValidationDice  the mean foreground Dice that chose it
 */
public record ChosenModel(String name, List<String> configurations, List<String> folds, String postprocessing,
        Double crossValidationDice) {

    public static final String FILE = "chosen_model.json";
    /** Where an ensemble's own files are: {@code models/ensembles/NAME/}. */
    public static final String ENSEMBLES = "ensembles";

    public ChosenModel {
        configurations = List.copyOf(configurations);
        folds = List.copyOf(folds);
    }

    /** The choice written in a models folder, if there is one. */
    public static Optional<ChosenModel> read(Path models) throws IOException {
        Path file = models.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        ChosenModel c = Json.read(file, ChosenModel.class);
        if (c.configurations() == null || c.configurations().isEmpty() || c.folds() == null || c.folds().isEmpty()) {
            throw new IOException(file + " names no configuration or no fold; run the model selection again");
        }
        return Optional.of(c);
    }

    public void write(Path models) throws IOException {
        Json.write(models.resolve(FILE), this);
    }

    public boolean isEnsemble() {
        return configurations.size() > 1;
    }

    /** The folder of an ensemble's own files (its cross-validation predictions, its postprocessing). */
    public static Path ensembleFolder(Path models, String name) {
        return models.resolve(ENSEMBLES).resolve(name);
    }

    public Path postprocessingFile(Path models) {
        return models.resolve(postprocessing);
    }
}

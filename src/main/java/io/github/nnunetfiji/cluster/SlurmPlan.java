package io.github.nnunetfiji.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to run on the cluster, decided here before submitting (the data set is prepared).
 *
 * @param dataset        the data set folder
 * @param work           the data set's work folder
 * @param configurations the configurations to train, in order (a cascade's first stage before its second)
 * @param previousStages configuration to the configuration whose every fold it waits for
 * @param folds          the folds, each an array task
 * @param select         whether a selection job follows the trainings
 */
public record SlurmPlan(Path dataset, Path work, List<String> configurations, Map<String, String> previousStages,
        List<String> folds, boolean select) {

    public SlurmPlan {
        configurations = List.copyOf(configurations);
        previousStages = Map.copyOf(previousStages);
        folds = List.copyOf(folds);
        for (String f : folds) {
            if (!f.matches("\\d+")) {
                throw new IllegalArgumentException("fold '" + f + "' cannot be an array task: a cluster run"
                        + " spreads the numbered folds of a cross-validation (a data set of one case has none)");
            }
        }
        if (folds.isEmpty() || configurations.isEmpty()) {
            throw new IllegalArgumentException("nothing to submit: no configuration or no fold");
        }
    }
}

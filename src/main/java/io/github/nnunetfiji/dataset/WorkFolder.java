package io.github.nnunetfiji.dataset;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The one work-folder convention of every stage. A work folder holds one subfolder per data set,
 * named like the data set's folder, so stages find each other's outputs without being told:
 *
 * <pre>
 * WORK/
 *   Task100_ISBI2012EM/
 *     dataset_summary.json        validate
 *     dataset_fingerprint.json    fingerprint
 *     plans.json                  plan
 *     preprocessed/CONFIG/        preprocess (one folder per configuration's data)
 *     models/CONFIG/fold_K/       train
 *     predictions/NAME/           infer, postprocess
 * </pre>
 *
 * The work folder is {@code --work DIR} on the command line, else the environment variable
 * {@code NNUNET_WORK}, else {@code ./nnunet_work}.
 */
public final class WorkFolder {

    /** Environment variable naming the default work folder. */
    public static final String ENV = "NNUNET_WORK";
    /** Default folder name, relative to the current directory. */
    public static final String DEFAULT_NAME = "nnunet_work";

    private final Path root;

    public WorkFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The work folder from {@code NNUNET_WORK}, else {@code ./nnunet_work}. */
    public static WorkFolder fromEnvironment() {
        String env = System.getenv(ENV);
        return new WorkFolder(env != null && !env.isBlank() ? Paths.get(env) : Paths.get(DEFAULT_NAME));
    }

    public Path root() {
        return root;
    }

    /** The folder of one data set (its id, see {@link Dataset#id()}). */
    public DatasetWork forDataset(String datasetId) {
        return new DatasetWork(root.resolve(datasetId));
    }

    public DatasetWork forDataset(Dataset ds) {
        return forDataset(ds.id());
    }

    /** The files of one data set inside the work folder. */
    public record DatasetWork(Path root) {

        public Path summaryFile() {
            return root.resolve("dataset_summary.json");
        }

        public Path fingerprintFile() {
            return root.resolve("dataset_fingerprint.json");
        }

        public Path plansFile() {
            return root.resolve("plans.json");
        }

        /** Preprocessed cases of one data identifier (a configuration's resampled data). */
        public Path preprocessedDir(String dataIdentifier) {
            return root.resolve("preprocessed").resolve(dataIdentifier);
        }

        /** The trained models of every configuration, with the selection's choice. */
        public Path modelsDir() {
            return root.resolve("models");
        }

        /** Trained model of one configuration and fold. */
        public Path modelDir(String configuration, int fold) {
            return root.resolve("models").resolve(configuration).resolve("fold_" + fold);
        }

        /**
         * The lock file of one work unit of this data set ({@code locks/UNIT.lock}), held by the run
         * that works on it (util.WorkLock).
         */
        public Path lockFile(String unit) {
            return root.resolve("locks").resolve(unit + ".lock");
        }

        /** A named set of predictions. */
        public Path predictionsDir(String name) {
            return root.resolve("predictions").resolve(name);
        }
    }
}

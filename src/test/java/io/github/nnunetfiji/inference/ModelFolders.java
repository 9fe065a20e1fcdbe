package io.github.nnunetfiji.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.util.AtomicFiles;

/**
 * Writes model folders as the trainer does (docs/training.md, "The model folder"), with networks built from the plan by
 * the engine and exported untrained (one seed per fold, so folds differ).
 */
public final class ModelFolders {

    private ModelFolders() {
    }

    public static Path write(Path modelsDir, Plans plans, String configuration, Engine engine, String... folds)
            throws IOException {
        Path folder = modelsDir.resolve(configuration);
        Files.createDirectories(folder);
        plans.write(folder.resolve(TrainedModel.PLANS));
        StringBuilder labels = new StringBuilder();
        plans.labels().forEach((v, n) -> labels.append(labels.length() == 0 ? "" : ", ").append('"').append(n)
                .append("\": ").append(v));
        StringBuilder channels = new StringBuilder();
        for (int c = 0; c < plans.channelNames().size(); c++) {
            channels.append(c == 0 ? "" : ", ").append('"').append(c).append("\": \"").append(plans.channelNames().get(c))
                    .append('"');
        }
        AtomicFiles.writeString(folder.resolve(TrainedModel.DATASET), "{\"name\": \"" + plans.datasetName()
                + "\", \"channel_names\": {" + channels + "}, \"labels\": {" + labels + "}, \"file_ending\": \".nii.gz\"}");
        for (String f : folds) {
            NetworkSpec spec = new PlanNetworkAdapter().spec(plans, configuration).toBuilder()
                    .seed(100 + f.hashCode()).build();
            try (Network net = engine.create(spec)) {
                net.exportInferenceModel(folder.resolve(TrainedModel.FOLD_PREFIX + f).resolve(TrainedModel.INFERENCE_MODEL));
            }
        }
        return folder;
    }
}

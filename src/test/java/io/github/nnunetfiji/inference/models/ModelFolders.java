package io.github.nnunetfiji.inference.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.plan.SyntheticFingerprints;

/**
 * Model folders with the layout of docs/training.md ("The model folder") for the installer and registry tests: a
 * real plans.json (planned from a synthetic fingerprint), a dataset.json, and per fold an
 * inference_model/ whose two files hold stand-in bytes (these tests check the layout; the engine
 * tests check exported models themselves).
 */
public final class ModelFolders {

    private ModelFolders() {
    }

    public static Path create(Path folder, String datasetName, String... folds) throws IOException {
        Files.createDirectories(folder);
        Plans plans = Planners.create("paper").plan(new SyntheticFingerprints(datasetName, List.of("MRI"), 3)
                .cases(4, SyntheticFingerprints.shape(40, 48, 32), SyntheticFingerprints.spacing(1, 1, 1)).build());
        plans.write(folder.resolve("plans.json"));
        Files.writeString(folder.resolve("dataset.json"), "{\"name\": \"" + datasetName
                + "\", \"channel_names\": {\"0\": \"MRI\"}, \"labels\": {\"background\": 0, \"a\": 1, \"b\": 2}, "
                + "\"numTraining\": 4, \"file_ending\": \".nii.gz\"}\n");
        for (String fold : folds) {
            Path m = Files.createDirectories(folder.resolve(fold).resolve("inference_model"));
            Files.writeString(m.resolve("model.json"), "{}");
            Files.write(m.resolve("graph.pb"), new byte[] {1, 2, 3});
        }
        return folder;
    }
}

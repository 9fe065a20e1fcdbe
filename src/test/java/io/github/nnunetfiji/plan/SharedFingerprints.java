package io.github.nnunetfiji.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.Progress;

/**
 * Fingerprints of the shared real data sets, computed from their files once per test run (the
 * BraTS subset takes seconds) for every planner test that needs them.
 */
final class SharedFingerprints {

    private static final Map<String, DatasetFingerprint> CACHE = new HashMap<>();

    private SharedFingerprints() {
    }

    /** The fingerprint of a shared data set; skips (or fails under CI=true) if it is absent. */
    static synchronized DatasetFingerprint of(String name) throws IOException, DatasetException {
        Path folder = TestData.shared(name);
        DatasetFingerprint fp = CACHE.get(name);
        if (fp == null) {
            Dataset ds = DatasetLoader.load(folder);
            Path work = Files.createTempDirectory("nnunet-shared-fingerprint");
            try {
                fp = PlanStage.fingerprint(ds, new WorkFolder(work), 2, Progress.NONE);
            } finally {
                try (var s = Files.walk(work)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            CACHE.put(name, fp);
        }
        return fp;
    }
}

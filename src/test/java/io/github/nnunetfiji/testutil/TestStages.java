package io.github.nnunetfiji.testutil;

import java.io.IOException;
import java.util.List;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.pipeline.FingerprintStage;
import io.github.nnunetfiji.pipeline.PlanStage;
import io.github.nnunetfiji.pipeline.PrerequisiteException;
import io.github.nnunetfiji.pipeline.PreprocessStage;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.PreprocessingResult;
import io.github.nnunetfiji.util.Progress;

/** The pipeline stages as tests call them: defaults for everything a test does not vary. */
public final class TestStages {

    private TestStages() {
    }

    /** Measures a data set and writes its fingerprint. */
    public static DatasetFingerprint fingerprint(Dataset ds, WorkFolder work, int threads) throws IOException {
        try {
            return new FingerprintStage().run(new FingerprintStage.Request(ds.root(), work, threads, false),
                    Progress.NONE).fingerprint();
        } catch (DatasetException e) {
            throw new AssertionError("the data set was loaded before", e);
        }
    }

    /** Plans a data set with a named planner and no overrides (fingerprint reused if current). */
    public static Plans plan(Dataset ds, WorkFolder work, String planner) throws IOException {
        try {
            return new PlanStage().run(new PlanStage.Request(ds.root(), work, Planners.create(planner),
                    PlanOverrides.none(), 2, false), Progress.NONE).plans();
        } catch (DatasetException e) {
            throw new AssertionError("the data set was loaded before", e);
        }
    }

    /** Preprocesses with given plans (not read from the work folder). */
    public static List<PreprocessingResult> preprocess(Dataset ds, Plans plans, List<String> configurations,
            WorkFolder work, int threads) throws IOException {
        try {
            return new PreprocessStage().run(new PreprocessStage.Request(ds.root(), work, plans,
                    configurations, threads, false), Progress.NONE).configurations();
        } catch (PrerequisiteException e) {
            throw new AssertionError("plans were given", e);
        } catch (DatasetException e) {
            throw new AssertionError("the data set was loaded before", e);
        }
    }
}

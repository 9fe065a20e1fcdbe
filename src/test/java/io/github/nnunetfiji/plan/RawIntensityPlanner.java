package io.github.nnunetfiji.plan;

/** A user's planner variant, added as one class plus one line in META-INF/services: intensities left as they are. */
public class RawIntensityPlanner extends ExperimentPlanner {

    @Override
    public String name() {
        return "raw-intensity";
    }

    @Override
    protected String normalizationScheme(String channelName) {
        return "NoNorm";
    }
}

package io.github.nnunetfiji.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.nnunetfiji.engine.NetworkSpec;

/** Step times made up per patch ("512x512" in network axis order), with the questions recorded. */
public final class FakeStepTimes implements StepTimes {

    private final String machine;
    private final Map<String, Double> seconds;
    /** The patches asked for, in order. */
    public final List<String> asked = new ArrayList<>();

    public FakeStepTimes(String machine, Map<String, Double> seconds) {
        this.machine = machine;
        this.seconds = seconds;
    }

    @Override
    public String machine() {
        return machine;
    }

    @Override
    public double secondsPerStep(NetworkSpec spec, int[] patch, int batch) {
        StringBuilder key = new StringBuilder();
        for (int p : patch) {
            key.append(key.length() > 0 ? "x" : "").append(p);
        }
        asked.add(key + " batch " + batch);
        Double s = seconds.get(key.toString());
        if (s == null) {
            throw new IllegalStateException("no made-up step time for " + key);
        }
        return s;
    }
}

package io.github.nnunetfiji.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** The planners selectable by name ({@code --planner NAME}). */
public final class Planners {

    /** The default planner's name: the paper's rules. */
    public static final String DEFAULT = "paper";

    private static final Map<String, Supplier<ExperimentPlanner>> PLANNERS = new LinkedHashMap<>();

    static {
        PLANNERS.put("paper", ExperimentPlanner::new);
        PLANNERS.put("v2", ExperimentPlannerV2::new);
    }

    private Planners() {
    }

    /** Names of all planners, the default first. */
    public static List<String> names() {
        return List.copyOf(PLANNERS.keySet());
    }

    /**
     * A planner by name.
     *
     * @param name {@code paper} or {@code v2} (case-insensitive); null or blank gives the default
     * @return a new planner
     * @throws IllegalArgumentException listing the known names if there is no planner of that name
     */
    public static ExperimentPlanner create(String name) {
        String key = name == null || name.isBlank() ? DEFAULT : name.trim().toLowerCase(Locale.ROOT);
        Supplier<ExperimentPlanner> s = PLANNERS.get(key);
        if (s == null) {
            throw new IllegalArgumentException("Unknown planner '" + name + "'; choose one of: "
                    + String.join(", ", PLANNERS.keySet()) + " (paper: the 2018 paper's rules, the default; "
                    + "v2: the reference implementation's current rules)");
        }
        return s.get();
    }
}

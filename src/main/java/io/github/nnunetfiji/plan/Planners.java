package io.github.nnunetfiji.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * The planners selectable by name ({@code --planner NAME}): the built-in {@code paper} and
 * {@code v2}, and every {@link ExperimentPlanner} subclass listed in
 * {@code META-INF/services/io.github.nnunetfiji.plan.ExperimentPlanner} of a jar on the class
 * path, under its {@link ExperimentPlanner#name()}. A user's variant is one class (a subclass
 * overriding the rule it changes, with a public no-argument constructor) plus that one line.
 */
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

    /** Built-in planners, then those found on the class path (a built-in name cannot be taken over). */
    private static Map<String, Supplier<ExperimentPlanner>> all() {
        Map<String, Supplier<ExperimentPlanner>> out = new LinkedHashMap<>(PLANNERS);
        ServiceLoader.load(ExperimentPlanner.class, Planners.class.getClassLoader()).stream().forEach(p -> {
            String name = p.get().name().toLowerCase(Locale.ROOT);
            out.putIfAbsent(name, () -> p.get());
        });
        return out;
    }

    /** Names of the planners that come with this project ({@code paper}, {@code v2}). */
    public static List<String> builtInNames() {
        return List.copyOf(PLANNERS.keySet());
    }

    /** Names of all planners, the default first. */
    public static List<String> names() {
        return List.copyOf(all().keySet());
    }

    /**
     * A planner by name.
     *
     * @param name {@code paper}, {@code v2} or the name of a planner on the class path
     *             (case-insensitive); null or blank gives the default
     * @return a new planner
     * @throws IllegalArgumentException listing the known names if there is no planner of that name
     */
    public static ExperimentPlanner create(String name) {
        String key = name == null || name.isBlank() ? DEFAULT : name.trim().toLowerCase(Locale.ROOT);
        Map<String, Supplier<ExperimentPlanner>> all = all();
        Supplier<ExperimentPlanner> s = all.get(key);
        if (s == null) {
            throw new IllegalArgumentException("Unknown planner '" + name + "'; choose one of: "
                    + String.join(", ", all.keySet()) + " (paper: the 2018 paper's rules, the default; "
                    + "v2: the reference implementation's current rules)");
        }
        return s.get();
    }
}

package io.github.nnunetfiji.selection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The method's last decision (METHOD.md §8): the candidate with the highest cross-validated mean
 * foreground Dice is the model. Rules kept small and overridable, as the planner's are.
 */
public class ModelSelection {

    /** The configurations in the order the method plans them, which breaks the last ties. */
    public static final List<String> ORDER = List.of("2d", "3d_fullres", "3d_lowres", "3d_cascade_fullres");

    /**
     * The best candidate: the highest mean foreground Dice; on a tie the one of fewer members (an
     * ensemble costs its members' time at every prediction), then the one whose members come first
     * in {@link #ORDER} (others after, by name).
     *
     * @throws IllegalArgumentException if there is no candidate
     */
    public CandidateScore choose(List<CandidateScore> candidates) {
        return candidates.stream().max(Comparator.comparingDouble(CandidateScore::comparable)
                .thenComparing(Comparator.comparingInt((CandidateScore c) -> c.members().size()).reversed())
                .thenComparing(ModelSelection::rank, Comparator.reverseOrder()))
                .orElseThrow(() -> new IllegalArgumentException("No candidate to choose from"));
    }

    /**
     * The folds every configuration compared has finished: candidates are scored on the same cases,
     * so a fold missing in one configuration leaves it out for all (the report says so).
     *
     * @param finished each configuration's folds with a finished, current validation
     */
    public List<String> commonFolds(Map<String, ? extends Set<String>> finished) {
        Set<String> common = null;
        for (Set<String> f : finished.values()) {
            if (common == null) {
                common = new TreeSet<>(f);
            } else {
                common.retainAll(f);
            }
        }
        return common == null ? List.of() : new ArrayList<>(common);
    }

    /** Pairs of configurations to try as ensembles, in {@link #ORDER}. */
    public List<List<String>> pairs(List<String> configurations) {
        List<String> sorted = new ArrayList<>(configurations);
        sorted.sort(Comparator.comparing(ModelSelection::orderOf).thenComparing(Comparator.naturalOrder()));
        List<List<String>> pairs = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size(); j++) {
                pairs.add(List.of(sorted.get(i), sorted.get(j)));
            }
        }
        return pairs;
    }

    static int orderOf(String configuration) {
        int i = ORDER.indexOf(configuration);
        return i < 0 ? ORDER.size() : i;
    }

    /** A comparable rank of the members' places in {@link #ORDER}: lower comes first. */
    private static String rank(CandidateScore c) {
        StringBuilder sb = new StringBuilder();
        for (String m : c.members()) {
            sb.append(String.format("%02d", orderOf(m))).append(m).append('|');
        }
        return sb.toString();
    }
}

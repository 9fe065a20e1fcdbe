package io.github.nnunetfiji.selection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a candidate (one configuration, or an ensemble of several) did in the cross-validation:
 * the mean Dice per foreground class over the validation cases of the folds used (a case where a
 * class is absent from both prediction and label leaves that class out), and the mean of those,
 * the score selection compares. This is how each fold's {@code validation/summary.json} reports a
 * fold, taken over the cases of all folds at once.
 *
 * @param name           the candidate's name: the configuration, or the members joined by {@code +}
 * @param members        the configurations whose probabilities are averaged (one for a configuration)
 * @param folds          the folds whose validation cases were scored
 * @param cases          the validation cases scored
 * @param classDice      mean Dice per foreground class (null where no case defines it)
 * @param foregroundDice the mean over the classes (null where no class is defined)
 */
public record CandidateScore(String name, List<String> members, List<String> folds, int cases,
        Map<String, Double> classDice, Double foregroundDice) {

    public CandidateScore {
        members = List.copyOf(members);
        folds = List.copyOf(folds);
        classDice = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(classDice));
    }

    /** The name of an ensemble of {@code members}, or the configuration itself. */
    public static String nameOf(List<String> members) {
        return String.join("+", members);
    }

    /**
     * Scores per-case Dice.
     *
     * @param perCase  each case's Dice per foreground class ("1", "2", ...; null: undefined there)
     * @param classes  the foreground classes, in order
     */
    public static CandidateScore of(List<String> members, List<String> folds, List<Map<String, Double>> perCase,
            List<String> classes) {
        Map<String, Double> means = new LinkedHashMap<>();
        List<Double> defined = new ArrayList<>();
        for (String k : classes) {
            double sum = 0;
            int n = 0;
            for (Map<String, Double> c : perCase) {
                Double d = c.get(k);
                if (d != null && Double.isFinite(d)) {
                    sum += d;
                    n++;
                }
            }
            Double mean = n == 0 ? null : sum / n;
            means.put(k, mean);
            if (mean != null) {
                defined.add(mean);
            }
        }
        Double fg = defined.isEmpty() ? null : defined.stream().mapToDouble(Double::doubleValue).average().getAsDouble();
        return new CandidateScore(nameOf(members), members, folds, perCase.size(), means, fg);
    }

    /** True for a candidate of more than one configuration. */
    public boolean isEnsemble() {
        return members.size() > 1;
    }

    /** The score compared, with an undefined one the lowest. */
    double comparable() {
        return foregroundDice == null ? Double.NEGATIVE_INFINITY : foregroundDice;
    }
}

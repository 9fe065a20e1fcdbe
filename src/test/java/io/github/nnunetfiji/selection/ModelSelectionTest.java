package io.github.nnunetfiji.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class ModelSelectionTest {

    private final ModelSelection rules = new ModelSelection();

    private static CandidateScore score(double dice, String... members) {
        return new CandidateScore(CandidateScore.nameOf(List.of(members)), List.of(members), List.of("0"), 1,
                Map.of("1", dice), dice);
    }

    @Test
    void theHighestMeanForegroundDiceIsChosen() {
        CandidateScore best = score(0.81, "3d_fullres");
        assertEquals(best, rules.choose(List.of(score(0.80, "2d"), best, score(0.805, "2d", "3d_fullres"))));
        assertEquals("2d+3d_fullres", rules.choose(List.of(score(0.80, "2d"), score(0.79, "3d_fullres"),
                score(0.82, "2d", "3d_fullres"))).name());
    }

    @Test
    void tiesGoToFewerMembersThenToTheMethodsOrder() {
        assertEquals("3d_fullres", rules.choose(List.of(score(0.8, "2d", "3d_fullres"), score(0.8, "3d_fullres")))
                .name(), "a single configuration before an ensemble of the same score");
        assertEquals("2d", rules.choose(List.of(score(0.8, "3d_fullres"), score(0.8, "2d"))).name());
        assertEquals("2d", rules.choose(List.of(score(0.8, "3d_lowres"), score(0.8, "2d"), score(0.8, "3d_fullres")))
                .name());
        assertEquals("2d+3d_lowres", rules.choose(List.of(score(0.8, "3d_fullres", "3d_lowres"),
                score(0.8, "2d", "3d_lowres"))).name());
    }

    @Test
    void anUndefinedScoreLosesToAnyDefinedOne() {
        CandidateScore undefined = new CandidateScore("2d", List.of("2d"), List.of("0"), 1, Map.of(), null);
        assertEquals("3d_fullres", rules.choose(List.of(undefined, score(0.1, "3d_fullres"))).name());
        assertThrows(IllegalArgumentException.class, () -> rules.choose(List.of()));
    }

    @Test
    void configurationsAreComparedOnTheFoldsAllHaveFinished() {
        Map<String, Set<String>> finished = new LinkedHashMap<>();
        finished.put("2d", new TreeSet<>(List.of("0", "1", "2", "3", "4")));
        finished.put("3d_fullres", new TreeSet<>(List.of("0", "2", "4")));
        assertEquals(List.of("0", "2", "4"), rules.commonFolds(finished));
        finished.put("3d_lowres", new TreeSet<>(List.of("1")));
        assertEquals(List.of(), rules.commonFolds(finished));
        assertEquals(List.of(), rules.commonFolds(new HashMap<>()));
    }

    @Test
    void pairsFollowTheMethodsOrder() {
        assertEquals(List.of(List.of("2d", "3d_fullres"), List.of("2d", "3d_lowres"), List.of("3d_fullres", "3d_lowres")),
                rules.pairs(List.of("3d_lowres", "3d_fullres", "2d")));
        assertEquals(List.of(), rules.pairs(List.of("2d")));
    }

    @Test
    void scoresAreMeansPerClassOverCasesThenOverClasses() {
        Map<String, Double> a = new HashMap<>();
        a.put("1", 0.5);
        a.put("2", null); // absent from prediction and label: left out
        Map<String, Double> b = new HashMap<>();
        b.put("1", 1.0);
        b.put("2", 0.25);
        CandidateScore s = CandidateScore.of(List.of("2d"), List.of("0", "1"), List.of(a, b), List.of("1", "2", "3"));
        assertEquals(0.75, s.classDice().get("1"), 1e-12);
        assertEquals(0.25, s.classDice().get("2"), 1e-12);
        assertNull(s.classDice().get("3"));
        assertEquals(0.5, s.foregroundDice(), 1e-12);
        assertEquals(2, s.cases());
        assertEquals(Arrays.asList("1", "2", "3"), List.copyOf(s.classDice().keySet()));
    }
}

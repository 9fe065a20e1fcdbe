package io.github.nnunetfiji.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Dice for people: four decimals and "n/a", not a double's seventeen digits. */
class DiceFormatTest {

    @Test
    void fourDecimalsAndUndefinedAsNa() {
        Map<String, Double> dice = new LinkedHashMap<>();
        dice.put("1", 2.308136180034622E-4);
        dice.put("2", 0.1560093739537998);
        dice.put("3", null);
        dice.put("4", 1.0);
        assertEquals("1: 0.0002, 2: 0.1560, 3: n/a, 4: 1.0000", FoldValidation.formatDice(dice));
        FoldValidation.Summary s = new FoldValidation.Summary("0", "final", "m", java.util.List.of(), dice, 0.38541,
                null);
        assertEquals("Validation of fold 0 (0 cases): mean Dice 1: 0.0002, 2: 0.1560, 3: n/a, 4: 1.0000, foreground"
                + " mean 0.3854", FoldValidation.describe(s));
    }
}

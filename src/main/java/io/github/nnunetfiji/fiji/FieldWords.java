package io.github.nnunetfiji.fiji;

import java.util.Arrays;
import java.util.List;

/** The words of a dialog field that lists several values (folds, configurations, overrides). */
final class FieldWords {

    private FieldWords() {
    }

    /** Words separated by spaces, commas or semicolons; none for a blank or missing field. */
    static List<String> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.trim().split("[\\s,;]+")).filter(s -> !s.isEmpty()).toList();
    }
}

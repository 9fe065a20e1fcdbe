package io.github.nnunetfiji.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Counts per file kind, and every crash with what reproduces it. */
final class FuzzReport {

    private final Map<String, int[]> counts = new LinkedHashMap<>();
    private final List<String> crashes = new ArrayList<>();

    void add(FuzzTarget.Input input, InputRunner.Outcome o) {
        int[] c = counts.computeIfAbsent(input.kind(), k -> new int[4]);
        c[0]++;
        c[1 + o.kind().ordinal()]++;
        if (o.kind() == InputRunner.Kind.CRASH) {
            crashes.add(input.describe() + "\n    -> " + o.detail() + "\n    replay: -Dnnunet.fuzz.replay="
                    + input.kind() + ":" + input.seed());
        }
    }

    List<String> crashes() {
        return crashes;
    }

    /** file kind | inputs | results | clear errors | crashes, one row per kind and the total. */
    String table(String title) {
        StringBuilder sb = new StringBuilder(title).append('\n');
        String row = "| %-14s | %7s | %7s | %12s | %7s |%n";
        sb.append(String.format(Locale.ROOT, row, "file kind", "inputs", "results", "clear errors", "crashes"));
        sb.append("|----------------|---------|---------|--------------|---------|\n");
        int[] total = new int[4];
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            sb.append(String.format(Locale.ROOT, row, e.getKey(), c[0], c[1], c[2], c[3]));
            for (int i = 0; i < 4; i++) {
                total[i] += c[i];
            }
        }
        sb.append(String.format(Locale.ROOT, row, "all", total[0], total[1], total[2], total[3]));
        return sb.toString();
    }
}

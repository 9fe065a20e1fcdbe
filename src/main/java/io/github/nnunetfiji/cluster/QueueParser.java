package io.github.nnunetfiji.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads what squeue and sacct print, one job or array task a line, fields separated by {@code |}:
 * {@code squeue -h -r -t all -o %i|%T|%r} and {@code sacct -n -P -X -o JobID,State}. Keys are
 * {@code JOB} for a job, {@code JOB_TASK} for an array task; a range not yet split
 * ({@code JOB_[0-2,4]}, as sacct prints pending tasks) gives one key per task.
 */
public final class QueueParser {

    private QueueParser() {
    }

    /** squeue's lines: id, state, reason. */
    public static Map<String, TaskState> squeue(String output) {
        Map<String, TaskState> states = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.trim().split("\\|", -1);
            if (f.length >= 2 && !f[0].isEmpty()) {
                put(states, f[0].trim(), new TaskState(f[1].trim(), f.length > 2 ? f[2].trim() : ""));
            }
        }
        return states;
    }

    /** sacct's lines: id, state ({@code CANCELLED by 1000}: the first word); steps such as {@code 12_3.batch} skipped. */
    public static Map<String, TaskState> sacct(String output) {
        Map<String, TaskState> states = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.trim().split("\\|", -1);
            if (f.length >= 2 && !f[0].isEmpty() && !f[0].contains(".")) {
                String state = f[1].trim().split(" ")[0];
                put(states, f[0].trim(), new TaskState(state, ""));
            }
        }
        return states;
    }

    private static void put(Map<String, TaskState> states, String id, TaskState state) {
        int open = id.indexOf("_[");
        if (open < 0) {
            states.put(id, state);
            return;
        }
        String job = id.substring(0, open);
        String ranges = id.substring(open + 2, id.endsWith("]") ? id.length() - 1 : id.length());
        for (String part : ranges.split(",")) {
            String p = part.split("%")[0];
            int dash = p.indexOf('-');
            try {
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
                for (int t = from; t <= to; t++) {
                    states.put(job + "_" + t, state);
                }
            } catch (NumberFormatException e) {
                // An id this reader does not know is no task of ours: leave it out.
            }
        }
    }
}

package io.github.nnunetfiji.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Where a cluster run stands: each training task (configuration and fold) and the selection,
 * with SLURM's state, the fold's progress in the work folder and the log file.
 */
public record RunStatus(SlurmRun run, List<Unit> units) {

    /**
     * One array task or job.
     *
     * @param job           the job's name
     * @param configuration the configuration it trains; null for the selection
     * @param fold          the fold; null for the selection
     * @param taskId        SLURM's id of the latest submission ({@code JOB_TASK} or {@code JOB})
     * @param state         SLURM's word for it
     * @param progress      the fold's progress; null for the selection
     * @param finishedInWork the work folder holds its result (a finished fold, the choice)
     * @param log           its log file
     */
    public record Unit(String job, String configuration, String fold, String taskId, TaskState state,
            FoldProgress progress, boolean finishedInWork, Path log) {

        /** It succeeded, or its result is there and it no longer runs (the queue may have forgotten it). */
        public boolean done() {
            return state.done() || (finishedInWork && !state.live());
        }

        /**
         * It ended without its result, or can no longer start; also a task neither the queue nor
         * the accounting knows whose result is missing (a pending task canceled leaves no record).
         */
        public boolean failed() {
            return !done() && (state.failed() || state.state().equals(TaskState.UNKNOWN));
        }

        /** Pending or running. */
        public boolean live() {
            return !done() && state.live();
        }
    }

    /** Asks SLURM and reads the work folder. */
    public static RunStatus of(SlurmRun run, Slurm slurm) throws IOException {
        Map<String, TaskState> states = slurm.states(run.jobIds());
        Path work = Path.of(run.work());
        List<Unit> units = new ArrayList<>();
        for (SlurmRun.Job j : run.jobs()) {
            if (SlurmRun.TRAIN.equals(j.kind())) {
                for (String f : j.folds()) {
                    String id = j.taskId(f);
                    FoldProgress p = FoldProgress.of(work, j.configuration(), f);
                    units.add(new Unit(j.name(), j.configuration(), f, id, stateOf(states, id), p, p.finished(),
                            j.logOf(id)));
                }
            } else {
                String id = j.latest().jobId();
                units.add(new Unit(j.name(), null, null, id, stateOf(states, id), null, chosenSince(work, run),
                        j.logOf(id)));
            }
        }
        return new RunStatus(run, units);
    }

    private static TaskState stateOf(Map<String, TaskState> states, String id) {
        return states.getOrDefault(id, TaskState.unknown());
    }

    /** The choice was written after the run was submitted (so by its selection). */
    private static boolean chosenSince(Path work, SlurmRun run) {
        Path chosen = work.resolve("models").resolve("chosen_model.json");
        try {
            return Files.isRegularFile(chosen) && Files.getLastModifiedTime(chosen).toInstant().isAfter(Instant.parse(
                    run.submitted()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public List<Unit> failed() {
        return units.stream().filter(Unit::failed).toList();
    }

    /** Every unit has its result. */
    public boolean done() {
        return units.stream().allMatch(Unit::done);
    }

    /** The run's word: done, failed (some unit failed), or running. */
    public String overall() {
        return done() ? "done" : !failed().isEmpty() ? "failed" : "running";
    }

    /** The ids of the jobs that still have a unit pending or running. */
    public List<String> liveJobIds() {
        TreeSet<String> ids = new TreeSet<>();
        units.stream().filter(Unit::live).forEach(u -> ids.add(u.taskId().split("_")[0]));
        return List.copyOf(ids);
    }

    /** A table of every unit, then the last lines of each failed unit's log. */
    public String report(int logLines) {
        StringBuilder sb = new StringBuilder();
        sb.append("Cluster run of ").append(run.dataset()).append(" (submitted ").append(run.submitted())
                .append(", ").append(SlurmRun.file(Path.of(run.work()))).append(")\n");
        sb.append(String.format("  %-22s %-5s %-12s %-28s %s%n", "configuration", "fold", "job", "state", "progress"));
        for (Unit u : units) {
            String state = u.finishedInWork() && !u.state().done() ? "COMPLETED (work folder)" : u.state().toString();
            sb.append(String.format("  %-22s %-5s %-12s %-28s %s%n", u.configuration() == null ? "selection"
                    : u.configuration(), u.fold() == null ? "-" : u.fold(), u.taskId(), state, u.progress() == null
                            ? (u.done() ? "model chosen" : "") : u.progress()));
        }
        for (Unit u : failed()) {
            sb.append("\n").append(u.configuration() == null ? "selection" : u.configuration() + " fold " + u.fold())
                    .append(" ").append(u.state()).append(", log ").append(u.log()).append(":\n");
            sb.append(tail(u.log(), logLines));
        }
        long failed = failed().size();
        sb.append("\nRun: ").append(overall()).append(failed > 0 ? " (" + failed + " failed)" : "").append('\n');
        return sb.toString();
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            StringBuilder sb = new StringBuilder();
            for (String l : all.subList(Math.max(0, all.size() - lines), all.size())) {
                sb.append("    | ").append(l).append('\n');
            }
            return sb.length() == 0 ? "    (empty)\n" : sb.toString();
        } catch (IOException e) {
            return "    (no log: " + e.getMessage() + "; the job may not have started)\n";
        }
    }
}

package io.github.nnunetfiji.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The cluster's own tools: sbatch to submit, squeue and sacct to ask, scancel to cancel. */
public final class Slurm {

    /** Output and exit code of one tool run. */
    public record Output(int exitCode, String out, String err) {
    }

    /** Runs a tool; tests give a fake. */
    public interface Tools {
        Output run(List<String> command) throws IOException;
    }

    private final Tools tools;

    public Slurm(Tools tools) {
        this.tools = tools;
    }

    /**
     * Where the tools are when they are not on the PATH: a folder given as this system property
     * (a cluster that keeps them elsewhere; the tests' stand-ins).
     */
    public static final String BIN_PROPERTY = "nnunet.slurm.bin";

    /** The tools on this machine's PATH, or in the folder {@value #BIN_PROPERTY} names. */
    public static Slurm onPath() {
        String bin = System.getProperty(BIN_PROPERTY);
        if (bin == null || bin.isBlank()) {
            return new Slurm(Slurm::runProcess);
        }
        return new Slurm(command -> {
            List<String> c = new ArrayList<>(command);
            c.set(0, java.nio.file.Path.of(bin).resolve(command.get(0)).toString());
            return runProcess(c);
        });
    }

    private static Output runProcess(List<String> command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new IOException(command.get(0) + " not found on this machine's PATH: run this on the cluster's login"
                    + " node (where SLURM's client tools are), or install them (Debian/Ubuntu: apt-get install"
                    + " slurm-client)", e);
        }
        try {
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            return new Output(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err,
                    StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(command.get(0) + " interrupted", e);
        }
    }

    /**
     * Submits a script; returns the job id.
     *
     * @param array   sbatch's array range (e.g. 0-4, or 1,3), or null for a single job
     * @param afterok jobs or array tasks ({@code JOB_TASK}) that must all succeed before it starts
     */
    public String submit(Path script, String array, Collection<String> afterok) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
        if (array != null) {
            cmd.add("--array=" + array);
        }
        if (!afterok.isEmpty()) {
            cmd.add("--dependency=afterok:" + String.join(":", afterok));
        }
        cmd.add(script.toString());
        Output o = tools.run(cmd);
        String id = o.out().trim().split(";")[0];
        if (o.exitCode() != 0 || !id.matches("\\d+")) {
            throw new IOException("sbatch refused " + script + ": " + (o.err().isBlank() ? o.out() : o.err()).trim()
                    + "\n    fix: change the SLURM options recorded there (partition, time, memory, GPUs) to what"
                    + " this cluster offers ('sinfo' lists its partitions)");
        }
        return id;
    }

    /**
     * The state of every job and array task of the given jobs: from the queue (which keeps
     * finished jobs a few minutes), else the accounting; jobs neither knows are left out.
     */
    public Map<String, TaskState> states(Collection<String> jobIds) throws IOException {
        Set<String> jobs = new TreeSet<>(jobIds);
        Map<String, TaskState> states = new LinkedHashMap<>();
        Output q = tools.run(List.of("squeue", "-h", "-r", "-t", "all", "-o", "%i|%T|%r"));
        if (q.exitCode() != 0) {
            throw new IOException("squeue failed: " + q.err().trim());
        }
        QueueParser.squeue(q.out()).forEach((id, s) -> {
            if (jobs.contains(id.split("_")[0])) {
                states.put(id, s);
            }
        });
        Set<String> missing = new TreeSet<>(jobs);
        states.keySet().forEach(id -> missing.remove(id.split("_")[0]));
        if (!missing.isEmpty()) {
            Output a = tools.run(List.of("sacct", "-n", "-P", "-X", "-o", "JobID,State", "-j", String.join(",",
                    missing)));
            // Without accounting (sacct refuses) the work folder still says which folds are finished.
            if (a.exitCode() == 0) {
                states.putAll(QueueParser.sacct(a.out()));
            }
        }
        return states;
    }

    /** Cancels jobs or array tasks ({@code JOB_TASK}). */
    public void cancel(Collection<String> ids) throws IOException {
        if (ids.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("scancel"));
        cmd.addAll(ids);
        Output o = tools.run(cmd);
        if (o.exitCode() != 0) {
            throw new IOException("scancel " + String.join(" ", ids) + " failed: " + o.err().trim());
        }
    }
}

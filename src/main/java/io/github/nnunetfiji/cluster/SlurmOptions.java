package io.github.nnunetfiji.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * What every job of a run asks SLURM for, and how a node starts the command line.
 *
 * @param partition  the partition, or null for the cluster's default
 * @param time       each job's time limit in SLURM's form (e.g. 12:00:00, 2-00:00:00), or null for
 *                   the partition's default; a training stopped at its limit resumes when resubmitted
 * @param cpus       CPUs per task
 * @param memory     memory per task in SLURM's form (e.g. 16G)
 * @param gres       generic resources per task (e.g. gpu:1), or null
 * @param extraLines more {@code #SBATCH} options, each as sbatch takes it (e.g. --account=lab)
 * @param launcher   the command that starts the command line on a node, as shell words (an
 *                   absolute path, maybe behind a wrapper such as {@code nice -n 10})
 */
public record SlurmOptions(String partition, String time, int cpus, String memory, String gres,
        List<String> extraLines, String launcher) {

    /** CPUs per task unless told. */
    public static final int DEFAULT_CPUS = 4;
    /** Memory per task unless told. */
    public static final String DEFAULT_MEMORY = "16G";

    public SlurmOptions {
        extraLines = List.copyOf(extraLines);
        if (cpus < 1) {
            throw new IllegalArgumentException("CPUs per task must be at least 1, got " + cpus);
        }
        if (launcher == null || launcher.isBlank()) {
            throw new IllegalArgumentException("no launcher for the nodes: give the absolute path of the command line");
        }
        for (String s : extraLines) {
            if (!s.startsWith("-") || s.contains("\n")) {
                throw new IllegalArgumentException("an extra #SBATCH option must be one sbatch option such as"
                        + " --account=lab, got '" + s + "'");
            }
        }
    }

    /**
     * Extra {@code #SBATCH} options as a user writes them: separated by ';' (an option may hold
     * commas, as {@code --mail-type=END,FAIL}), blanks dropped.
     */
    public static List<String> extraLines(String text) {
        List<String> extra = new ArrayList<>();
        for (String s : (text == null ? "" : text).split(";")) {
            if (!s.isBlank()) {
                extra.add(s.trim());
            }
        }
        return extra;
    }

    /** The {@code #SBATCH} lines these options make, in a fixed order. */
    public List<String> sbatchLines() {
        List<String> lines = new ArrayList<>();
        if (partition != null && !partition.isBlank()) {
            lines.add("#SBATCH --partition=" + partition);
        }
        if (time != null && !time.isBlank()) {
            lines.add("#SBATCH --time=" + time);
        }
        lines.add("#SBATCH --nodes=1");
        lines.add("#SBATCH --ntasks=1");
        lines.add("#SBATCH --cpus-per-task=" + cpus);
        if (memory != null && !memory.isBlank()) {
            lines.add("#SBATCH --mem=" + memory);
        }
        if (gres != null && !gres.isBlank()) {
            lines.add("#SBATCH --gres=" + gres);
        }
        for (String s : extraLines) {
            lines.add("#SBATCH " + s);
        }
        return lines;
    }
}

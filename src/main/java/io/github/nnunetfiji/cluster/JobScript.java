package io.github.nnunetfiji.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A batch script for sbatch: the {@code #SBATCH} lines, then the launcher with each command's
 * arguments, quoted for the shell. Array ranges and dependencies are given to sbatch when
 * submitting, so that a resubmission runs the same script for other tasks.
 */
public final class JobScript {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=+,@%-]+");

    private JobScript() {
    }

    /**
     * @param name     the job's name ({@code --job-name})
     * @param log      the log file, with sbatch's patterns ({@code %A_%a} for array tasks)
     * @param commands each command's arguments after the launcher, run in order, stopping at the
     *                 first that fails
     */
    public static String render(String name, Path log, SlurmOptions options, List<List<String>> commands) {
        StringBuilder sb = new StringBuilder("#!/bin/bash\n");
        sb.append("#SBATCH --job-name=").append(name).append('\n');
        sb.append("#SBATCH --output=").append(log).append('\n');
        for (String line : options.sbatchLines()) {
            sb.append(line).append('\n');
        }
        // Without this a run whose first command fails would go on and report the exit of the last.
        sb.append("set -e\n");
        // SLURM sends SIGTERM at the time limit; exec lets the training receive it and checkpoint.
        for (int i = 0; i < commands.size(); i++) {
            sb.append(i == commands.size() - 1 ? "exec " : "").append(options.launcher());
            for (String a : commands.get(i)) {
                sb.append(' ').append(quote(a));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A word for the shell: as it is where it is plain, in single quotes otherwise; the array task variable as is. */
    static String quote(String word) {
        if (word.equals(NodeCommands.ARRAY_TASK) || (!word.isEmpty() && PLAIN.matcher(word).matches())) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}

package io.github.nnunetfiji.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SLURM's tools as a test sets them: sbatch hands out ids from 100, squeue prints what the test put. */
final class FakeSlurm implements Slurm.Tools {

    final List<List<String>> calls = new ArrayList<>();
    final Map<String, String> queue = new LinkedHashMap<>();
    int nextId = 100;
    boolean accounting;

    @Override
    public Slurm.Output run(List<String> command) {
        calls.add(List.copyOf(command));
        switch (command.get(0)) {
            case "sbatch":
                return new Slurm.Output(0, (nextId++) + "\n", "");
            case "squeue": {
                StringBuilder sb = new StringBuilder();
                queue.forEach((id, state) -> sb.append(id).append('|').append(state).append('\n'));
                return new Slurm.Output(0, sb.toString(), "");
            }
            case "sacct":
                return accounting ? new Slurm.Output(0, "", "")
                        : new Slurm.Output(1, "", "Slurm accounting storage is disabled\n");
            default:
                return new Slurm.Output(0, "", "");
        }
    }

    List<List<String>> calls(String tool) {
        return calls.stream().filter(c -> c.get(0).equals(tool)).toList();
    }
}

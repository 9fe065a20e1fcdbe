package io.github.nnunetfiji.cluster;

import java.util.List;

/**
 * The command lines the nodes run, as arguments after the launcher. The command line surface
 * words them (it knows its own options); this package only places them in job scripts.
 */
public interface NodeCommands {

    /** The environment variable the {@code nnunet} script sets to its own absolute path: the default launcher. */
    String SCRIPT_VARIABLE = "NNUNET_SCRIPT";

    /** The command line's entry point, for a launcher that starts it with {@code java -cp}. */
    String MAIN_CLASS = "io.github.nnunetfiji.cli.Main";


    /** The shell variable that holds an array task's index: the fold of a training task. */
    String ARRAY_TASK = "$SLURM_ARRAY_TASK_ID";

    /** Trains one configuration on one fold, resuming what is there and keeping the probabilities. */
    List<String> train(String configuration, String fold);

    /** Chooses among the trained configurations on the folds. */
    List<String> select(List<String> configurations, List<String> folds);

    /** Segments the data set's test cases with the choice; empty where there are none. */
    List<String> predictTestCases();
}

package io.github.nnunetfiji.train;

import java.util.Arrays;

import io.github.nnunetfiji.cli.Main;
import io.github.nnunetfiji.cli.TrainCli;

/** The command line with the test batch source, for trainings run in a child JVM. */
public final class TrainChild {

    private TrainChild() {
    }

    public static void main(String[] args) {
        Main m = new Main();
        m.register(new TrainCli(PatchBatchSource.FACTORY));
        System.exit(m.run(Arrays.asList(args), System.out, System.err));
    }
}

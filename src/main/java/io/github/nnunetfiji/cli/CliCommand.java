package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.util.Set;

import io.github.nnunetfiji.pipeline.StageResult;

/** One sub-command of the command line ({@code nnunet NAME ...}). */
public interface CliCommand {

    /** Exit code: success. */
    int OK = 0;
    /** Exit code: the input has problems (listed on the error stream). */
    int PROBLEMS = 1;
    /** Exit code: wrong command-line usage. */
    int USAGE = 2;
    /** Exit code: an I/O or unexpected error. */
    int ERROR = 3;
    /** Exit code: another live run holds the lock of the same work (nothing written; retry later). */
    int IN_USE = 4;

    /** The word that selects this command. */
    String name();

    /** One line for the command list. */
    String summary();

    /** Full usage text: synopsis, every option with its default, what is written where. */
    String usage();

    /** Options that take a value, without dashes; {@code work} and {@code threads} by default. */
    default Set<String> valuedOptions() {
        return Set.of("work", "threads");
    }

    /** Options without a value, without dashes. */
    default Set<String> flagOptions() {
        return Set.of();
    }

    /** Runs the command; returns the exit code. */
    int run(Args args, PrintStream out, PrintStream err) throws Exception;

    /** Prints a stage's report: lines naming a failure ({@link StageResult#FAILED}) to {@code err}, the others to {@code out}. */
    static void print(StageResult result, PrintStream out, PrintStream err) {
        for (String line : result.report().split("\n")) {
            (line.startsWith(StageResult.FAILED) ? err : out).println(line);
        }
    }

    /** A call into a stage. */
    interface StageCall<R> {
        R run() throws Exception;
    }

    /** Runs a stage; what it rejects in the request (unknown names, invalid overrides) is a usage error here. */
    static <R> R usageErrors(StageCall<R> call) throws Exception {
        try {
            return call.run();
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e);
        }
    }
}

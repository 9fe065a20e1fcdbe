package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.util.CanceledException;

/**
 * The headless command line: {@code nnunet COMMAND [ARGS]}. Each pipeline stage is one
 * {@link CliCommand}; {@code nnunet help COMMAND} prints its full usage.
 */
public final class Main {

    private final Map<String, CliCommand> commands = new LinkedHashMap<>();

    public Main() {
        register(new ValidateCli());
        register(new FingerprintCli());
        register(new PlanCli());
        register(new PreprocessCli());
        register(new PlanAndPreprocessCli());
    }

    /** Adds a command (later stages plug in here). */
    public void register(CliCommand c) {
        commands.put(c.name(), c);
    }

    public static void main(String[] argv) {
        System.exit(new Main().run(Arrays.asList(argv), System.out, System.err));
    }

    /** Runs the command line; returns the exit code. */
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("-h")) {
            out.print(overview());
            return argv.isEmpty() ? CliCommand.USAGE : CliCommand.OK;
        }
        String name = argv.get(0);
        if (name.equals("help")) {
            if (argv.size() > 1 && commands.containsKey(argv.get(1))) {
                out.print(commands.get(argv.get(1)).usage());
                return CliCommand.OK;
            }
            out.print(overview());
            return CliCommand.OK;
        }
        CliCommand cmd = commands.get(name);
        if (cmd == null) {
            err.println("Unknown command '" + name + "'.");
            err.print(overview());
            return CliCommand.USAGE;
        }
        List<String> rest = new ArrayList<>(argv.subList(1, argv.size()));
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(cmd.usage());
            return CliCommand.OK;
        }
        try {
            Set<String> flags = new HashSet<>(cmd.flagOptions());
            Args args = Args.parse(rest, cmd.valuedOptions(), flags);
            return cmd.run(args, out, err);
        } catch (Args.UsageException e) {
            err.println("nnunet " + name + ": " + e.getMessage());
            err.print(cmd.usage());
            return CliCommand.USAGE;
        } catch (DatasetException e) {
            // Every stage loads the data set first; a broken one stops it before anything is written.
            err.println(e.getMessage());
            err.println("Nothing was written; 'nnunet validate DATASET' checks every case and says how to fix it.");
            return CliCommand.PROBLEMS;
        } catch (io.github.nnunetfiji.fingerprint.NoForegroundException e) {
            err.println("nnunet " + name + ": " + e.getMessage());
            return CliCommand.PROBLEMS;
        } catch (AccessDeniedException e) {
            // Reading an input the file system refuses: the user's to fix (writes fail as WriteFailedException).
            err.println("nnunet " + name + ": cannot read " + e.getFile() + ": permission denied");
            err.println("    fix: give this user read permission (chmod a+r '" + e.getFile()
                    + "') or run as a user who may read it");
            return CliCommand.PROBLEMS;
        } catch (CanceledException e) {
            err.println("nnunet " + name + ": canceled; results written so far are kept.");
            return CliCommand.ERROR;
        } catch (Exception e) {
            err.println("nnunet " + name + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return CliCommand.ERROR;
        }
    }

    private String overview() {
        StringBuilder sb = new StringBuilder("Usage: nnunet COMMAND [ARGS]   (nnunet help COMMAND for details)\n\nCommands:\n");
        for (CliCommand c : commands.values()) {
            sb.append(String.format("  %-20s %s%n", c.name(), c.summary()));
        }
        return sb.toString();
    }
}

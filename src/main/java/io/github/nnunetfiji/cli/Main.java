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
import io.github.nnunetfiji.pipeline.PrerequisiteException;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Explained;
import io.github.nnunetfiji.util.NotEnoughMemoryException;
import io.github.nnunetfiji.util.OverwriteRefusedException;
import io.github.nnunetfiji.util.WorkInUseException;

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
        register(new TrainCli());
        register(new SelectCli());
        register(new AutoCli());
        register(new PredictCli());
        register(new PostprocessCli());
        register(new EvaluateCli());
        register(new ExportModelCli());
        register(new ImportModelCli());
        register(new StatusCli());
        register(new CancelCli());
    }

    /** Adds a command (later stages plug in here). */
    public void register(CliCommand c) {
        commands.put(c.name(), c);
    }

    /** The registered commands, in order. */
    java.util.Collection<CliCommand> commands() {
        return java.util.Collections.unmodifiableCollection(commands.values());
    }

    public static void main(String[] argv) {
        GracefulStop.install(System.err);
        int code = new Main().run(Arrays.asList(argv), System.out, System.err);
        GracefulStop.finished();
        System.out.flush();
        System.exit(code);
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
        CliWording words = CliWording.of(name);
        try {
            Set<String> flags = new HashSet<>(cmd.flagOptions());
            Args args = Args.parse(rest, cmd.valuedOptions(), flags);
            return cmd.run(args, out, err);
        } catch (Args.UsageException e) {
            // A value the core refused is worded from its cause, with this command's flags.
            err.println("nnunet " + name + ": " + words.describe(e.getCause() instanceof Explained ? e.getCause() : e));
            err.print(cmd.usage());
            return CliCommand.USAGE;
        } catch (DatasetException e) {
            // Every stage loads the data set first; a broken one stops it before anything is written.
            err.println(e.getMessage());
            err.println("Nothing was written; 'nnunet validate DATASET' checks every case and says how to fix it.");
            return CliCommand.PROBLEMS;
        } catch (PrerequisiteException e) {
            // An earlier stage's output is missing: the command was used too early (a usage error).
            err.println("nnunet " + name + ": " + words.describe(e));
            return CliCommand.USAGE;
        } catch (WorkInUseException e) {
            // Another live run works on the same unit: nothing was written; a script may wait and retry.
            err.println("nnunet " + name + ": " + words.describe(e));
            return CliCommand.IN_USE;
        } catch (NotEnoughMemoryException e) {
            // Refused before any work: the figures, then this surface's ways of fixing it.
            err.println("nnunet " + name + ": " + e.getMessage());
            err.println("    fix: " + (e.fittingThreads() > 0 ? "--threads " + e.fittingThreads() + ", or " : "")
                    + "more memory for Java: NNUNET_JAVA_OPTS=-Xmx" + Math.max(1,
                            (long) Math.ceil(e.neededBytes() * 1.25 / (1024.0 * 1024 * 1024))) + "g (below the"
                    + " machine's memory)");
            return CliCommand.ERROR;
        } catch (OverwriteRefusedException e) {
            // A request that would replace its own input: wrong usage, refused before any work.
            err.println("nnunet " + name + ": " + words.describe(e));
            err.println("Nothing was written.");
            return CliCommand.USAGE;
        } catch (io.github.nnunetfiji.fingerprint.NoForegroundException e) {
            err.println("nnunet " + name + ": " + words.describe(e));
            return CliCommand.PROBLEMS;
        } catch (AccessDeniedException e) {
            if (refusedWrite(e)) {
                // Making a folder or file the file system refuses: an I/O error of the output.
                err.println("nnunet " + name + ": cannot write " + e.getFile() + ": permission denied");
                err.println("    fix: give this user write permission to the folder that holds it, or choose"
                        + " another output or work folder");
                return CliCommand.ERROR;
            }
            // Reading an input the file system refuses: the user's to fix.
            err.println("nnunet " + name + ": cannot read " + e.getFile() + ": permission denied");
            err.println("    fix: give this user read permission (chmod a+r '" + e.getFile()
                    + "') or run as a user who may read it");
            return CliCommand.PROBLEMS;
        } catch (CanceledException e) {
            err.println("nnunet " + name + ": " + (GracefulStop.requested() ? "stopped by a signal" : "canceled")
                    + "; results written so far are kept (a training resumes with --continue).");
            return CliCommand.ERROR;
        } catch (Exception e) {
            err.println("nnunet " + name + ": " + words.describe(e));
            return CliCommand.ERROR;
        } catch (OutOfMemoryError e) {
            // One line with the fix, not a stack trace; files are written atomically, so nothing is half-written.
            err.println("nnunet " + name + ": out of memory (Java may use " + Math.round(Runtime.getRuntime().maxMemory()
                    / (1024.0 * 1024 * 1024) * 10) / 10.0 + " GB): give it more with NNUNET_JAVA_OPTS=-Xmx<N>g (below the"
                    + " machine's memory) or use fewer --threads; results written so far are kept");
            return CliCommand.ERROR;
        }
    }

    /**
     * Whether a refused access was a write: the file is absent (it was to be made) or readable (so
     * reading it was not what failed).
     */
    static boolean refusedWrite(AccessDeniedException e) {
        if (e.getFile() == null) {
            return false;
        }
        java.nio.file.Path p = java.nio.file.Path.of(e.getFile());
        return !java.nio.file.Files.exists(p) || java.nio.file.Files.isReadable(p);
    }

    private String overview() {
        StringBuilder sb = new StringBuilder("Usage: nnunet COMMAND [ARGS]   (nnunet help COMMAND for details)\n\nCommands:\n");
        for (CliCommand c : commands.values()) {
            sb.append(String.format("  %-20s %s%n", c.name(), c.summary()));
        }
        return sb.toString();
    }
}

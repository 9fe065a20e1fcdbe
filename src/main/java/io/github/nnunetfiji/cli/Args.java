package io.github.nnunetfiji.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.nnunetfiji.dataset.WorkFolder;

/**
 * Parsed command-line arguments: positional words and {@code --name value} / {@code --flag}
 * options. Options a command does not know are an error, so typos never pass silently.
 */
public final class Args {

    /** Thrown for wrong usage; the message says what is wrong. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }

        /**
         * A request the core refused as given (a value it cannot use); the command line words it
         * ({@link CliWording}) from the cause.
         */
        public UsageException(IllegalArgumentException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> configurations = new ArrayList<>();

    private Args() {
    }

    /**
     * Parses arguments.
     *
     * @param valued options that take a value (without leading dashes); a name ending in
     *               {@code ...} takes every following word that is not an option (read with
     *               {@link #list}); a one-letter name is given as {@code -x VALUE}
     * @param flags  options that take none
     */
    public static Args parse(List<String> argv, Set<String> valued, Set<String> flags) throws UsageException {
        Args a = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String s = argv.get(i);
            if (s.equals("-c") || s.equals("--configurations")) {
                // nnU-Net style: -c 2d 3d_fullres (every following word that is not an option).
                if (!valued.contains("configurations")) {
                    throw new UsageException("this command takes no configurations");
                }
                int before = a.configurations.size();
                while (i + 1 < argv.size() && !argv.get(i + 1).startsWith("-")) {
                    for (String c : argv.get(++i).split(",")) {
                        if (!c.isBlank()) {
                            a.configurations.add(c.trim());
                        }
                    }
                }
                if (a.configurations.size() == before) {
                    throw new UsageException(s + " needs at least one configuration name, e.g. -c 2d 3d_fullres");
                }
            } else if (s.length() == 2 && s.charAt(0) == '-' && Character.isLetter(s.charAt(1))) {
                String name = s.substring(1);
                if (!valued.contains(name)) {
                    throw new UsageException("unknown option " + s);
                }
                if (i + 1 >= argv.size()) {
                    throw new UsageException(s + " needs a value");
                }
                a.options.put(name, argv.get(++i));
            } else if (s.startsWith("--") && s.length() > 2 && valued.contains(s.substring(2) + "...")) {
                String name = s.substring(2);
                List<String> words = new ArrayList<>();
                while (i + 1 < argv.size() && !argv.get(i + 1).startsWith("-")) {
                    for (String w : argv.get(++i).split(",")) {
                        if (!w.isBlank()) {
                            words.add(w.trim());
                        }
                    }
                }
                if (words.isEmpty()) {
                    throw new UsageException(s + " needs at least one value");
                }
                a.options.put(name, String.join(" ", words));
            } else if (s.startsWith("--") && s.length() > 2) {
                String name = s.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name)) {
                    if (value != null) {
                        throw new UsageException("--" + name + " takes no value");
                    }
                    a.options.put(name, "true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= argv.size()) {
                            throw new UsageException("--" + name + " needs a value");
                        }
                        value = argv.get(++i);
                    }
                    a.options.put(name, value);
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    public List<String> positional() {
        return positional;
    }

    /** Configuration names given with {@code -c}, in order; empty if none. */
    public List<String> configurations() {
        return configurations;
    }

    public boolean has(String option) {
        return options.containsKey(option);
    }

    /** The words of a many-valued option ({@code --name A B C}); empty if not given. */
    public List<String> list(String option) {
        String v = options.get(option);
        return v == null ? List.of() : List.of(v.split(" "));
    }

    public String get(String option, String fallback) {
        return options.getOrDefault(option, fallback);
    }

    /** An integer option within [min, max]. */
    public int getInt(String option, int fallback, int min, int max) throws UsageException {
        String v = options.get(option);
        if (v == null) {
            return fallback;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw new UsageException("--" + option + " must be between " + min + " and " + max + ", got " + i);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + option + " must be a whole number, got '" + v + "'");
        }
    }

    /** Exactly {@code n} positional arguments, named for the message. */
    public void expectPositional(String... names) throws UsageException {
        if (positional.size() != names.length) {
            throw new UsageException("expected " + String.join(" ", names) + ", got "
                    + (positional.isEmpty() ? "nothing" : String.join(" ", positional)));
        }
    }

    /** The work folder: {@code --work DIR}, else the environment default. */
    public WorkFolder workFolder() {
        String w = options.get("work");
        return w != null ? new WorkFolder(Paths.get(w)) : WorkFolder.fromEnvironment();
    }

    /** A positional argument as a path. */
    public Path path(int index) {
        return Paths.get(positional.get(index));
    }
}

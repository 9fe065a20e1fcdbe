package io.github.nnunetfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The core speaks of request fields and stages, never of one surface's words: no string in the
 * sources outside {@code cli/} and {@code fiji/} (and the update-site tooling in {@code release/},
 * which has its own command line, and the job scripts of {@code cluster/}) names an option of an {@code nnunet} command, an
 * {@code nnunet COMMAND} line or a Fiji menu command. A fix is a
 * {@link io.github.nnunetfiji.util.Message} naming a {@link io.github.nnunetfiji.util.RequestField}
 * or {@link io.github.nnunetfiji.util.StageName} instead, which each surface words its own way.
 * The options come from the registered commands themselves, so a new option is covered at once.
 */
class StageMessagesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/github/nnunetfiji");
    /**
     * The surfaces; {@code cluster} writes job scripts in sbatch's words ({@code --partition=},
     * {@code --time=}), which share names with the command line's options for them.
     */
    private static final Set<String> SURFACES = Set.of("cli", "fiji", "release", "cluster");

    /** A string literal: a text block or a one-line string (comments and char literals are skipped). */
    record Literal(Path file, int line, String text) {
        @Override
        public String toString() {
            return SOURCES.relativize(file) + ":" + line + ": \"" + text + "\"";
        }
    }

    /** Every string literal of a Java source, without those in comments. */
    static List<Literal> literals(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        List<Literal> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("//", i)) {
                int e = s.indexOf('\n', i);
                i = e < 0 ? s.length() : e;
            } else if (s.startsWith("/*", i)) {
                i = s.indexOf("*/", i + 2) + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                int e = s.indexOf("\"\"\"", i + 3);
                out.add(new Literal(file, line(s, i), s.substring(i + 3, e)));
                i = e + 3;
            } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
                char q = s.charAt(i);
                int j = i + 1;
                while (s.charAt(j) != q) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                if (q == '"') {
                    out.add(new Literal(file, line(s, i), s.substring(i + 1, j)));
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return out;
    }

    private static int line(String s, int index) {
        int n = 1;
        for (int k = 0; k < index; k++) {
            if (s.charAt(k) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** What a core message must not contain: every command's options and command lines, and Fiji's menu commands. */
    static List<Pattern> surfaceWords() throws IOException {
        Set<String> options = new LinkedHashSet<>();
        Set<String> commands = new LinkedHashSet<>();
        for (CliCommand c : new Main().commands()) {
            commands.add(c.name());
            Set<String> names = new LinkedHashSet<>(c.valuedOptions());
            names.addAll(c.flagOptions());
            for (String n : names) {
                n = n.replace("...", "");
                options.add(n.equals("configurations") ? "-c" : n.length() == 1 ? "-" + n : "--" + n);
                if (n.equals("configurations")) {
                    options.add("--configurations");
                }
            }
        }
        List<Pattern> words = new ArrayList<>();
        for (String o : options) {
            // As a word: "-m MODEL", "(--work DIR)", "'--continue'", not "rw-r--r--" or "-Xmx".
            words.add(Pattern.compile("(?<![\\w-])" + Pattern.quote(o) + "(?![\\w-])"));
        }
        for (String c : commands) {
            words.add(Pattern.compile("\\bnnunet " + Pattern.quote(c) + "\\b"));
        }
        // A command line cut between literals ("'nnunet " + "preprocess ...").
        words.add(Pattern.compile("(?<![\\w./-])nnunet( |$)"));
        try (Stream<Path> s = Files.list(SOURCES.resolve("fiji"))) {
            for (Path f : (Iterable<Path>) s::iterator) {
                Matcher m = Pattern.compile("menuPath = \"[^\"]*>([^\">]+)\"").matcher(Files.readString(f));
                while (m.find()) {
                    words.add(Pattern.compile(Pattern.quote(m.group(1)) + "\\b"));
                }
            }
        }
        return words;
    }

    private static List<Path> coreSources() throws IOException {
        try (Stream<Path> s = Files.walk(SOURCES)) {
            return s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !SURFACES.contains(SOURCES.relativize(p).getName(0).toString())).sorted().toList();
        }
    }

    @Test
    void noCoreMessageNamesAFlagACommandLineOrAMenuCommand() throws IOException {
        List<Pattern> words = surfaceWords();
        assertTrue(words.stream().anyMatch(p -> p.pattern().contains("--epochs")), words.toString());
        assertTrue(words.stream().anyMatch(p -> p.pattern().contains("nnU-Net Preprocess")), words.toString());
        List<Path> files = coreSources();
        assertTrue(files.size() > 100, "sources found: " + files.size());
        List<String> found = new ArrayList<>();
        for (Path f : files) {
            for (Literal l : literals(f)) {
                for (Pattern w : words) {
                    if (w.matcher(l.text()).find()) {
                        found.add(l + "  names " + w.pattern());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "Word these as a Message naming a RequestField or StageName instead");
    }

    @Test
    void theScanFindsWhatItLooksFor() throws IOException {
        List<Pattern> words = surfaceWords();
        for (String bad : List.of("apply needs -i IN and -o OUT", "resume with --continue (x)", "run 'nnunet preprocess",
                "run 'nnunet ", "or nnU-Net Plan in Fiji", "--method cross-validation")) {
            assertTrue(words.stream().anyMatch(w -> w.matcher(bad).find()), bad);
        }
        for (String fine : List.of("rw-r--r--", "give Java more memory (-Xmx)", "nnunet-preprocess", "nnunet_work",
                "models/nnunet", "nnU-Net for Fiji", "nnunet.engine.dir", "3d_cascade_fullres")) {
            assertTrue(words.stream().noneMatch(w -> w.matcher(fine).find()), fine);
        }
        Path tmp = Files.createTempFile("Literals", ".java");
        try {
            Files.writeString(tmp, "// \"--epochs\" in a comment\nclass A { char c = '\"'; String s = \"a \\\"b\\\" c\";"
                    + " /* \"--work\" */ String t = \"\"\"\n  block\n  \"\"\"; }\n");
            List<String> texts = literals(tmp).stream().map(Literal::text).toList();
            assertEquals(List.of("a \\\"b\\\" c", "\n  block\n  "), texts);
        } finally {
            Files.delete(tmp);
        }
    }

    @Test
    void fijiUsesNoCommandLineClass() throws IOException {
        try (Stream<Path> s = Files.list(SOURCES.resolve("fiji"))) {
            for (Path f : (Iterable<Path>) s::iterator) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                assertTrue(!text.contains("io.github.nnunetfiji.cli."), f + " uses the command line's classes");
            }
        }
    }
}

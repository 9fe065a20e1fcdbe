package io.github.nnunetfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.RequestException;
import io.github.nnunetfiji.util.RequestField;
import io.github.nnunetfiji.util.StageName;

/** The command line words the core's fields and stages as the flags and command lines its commands take. */
class CliWordingTest {

    @TempDir
    Path tmp;

    private static Set<String> accepted(CliCommand c) {
        Set<String> names = new HashSet<>();
        for (String n : c.valuedOptions()) {
            names.add(n.equals("configurations") ? "c" : n.replace("...", ""));
        }
        names.addAll(c.flagOptions());
        return names;
    }

    @Test
    void everyFlagOfTheTablesIsAnOptionOfItsCommand() {
        Map<String, CliCommand> commands = new java.util.HashMap<>();
        new Main().commands().forEach(c -> commands.put(c.name(), c));
        for (String table : CliWording.COMMANDS.keySet()) {
            CliCommand c = commands.get(table.split(" ")[0]);
            assertTrue(c != null, "no command " + table);
            for (String option : CliWording.optionNames(table)) {
                assertTrue(accepted(c).contains(option), "nnunet " + table + " takes no -" + option);
            }
        }
        for (StageName s : StageName.values()) {
            assertTrue(CliWording.COMMANDS.containsKey(s.words()), "no synopsis of " + s);
        }
        // Every field has a spelling, and where it is an option some command takes it.
        Set<String> all = new HashSet<>();
        commands.values().forEach(c -> all.addAll(accepted(c)));
        for (RequestField f : RequestField.values()) {
            String named = CliWording.of("").field(f, null);
            assertTrue(!named.startsWith("-") || all.contains(named.split(" ")[0].replaceFirst("^--?", "")), named);
        }
    }

    @Test
    void fieldsAreTheCommandsOwnFlags() {
        assertEquals("--continue resumes it (with a larger --epochs)", Message.of(RequestField.CONTINUE,
                " resumes it (with a larger ", RequestField.EPOCHS, ")").render(CliWording.of("train")));
        assertEquals("the training used --optimizer sgd", Message.of("the training used ",
                RequestField.OPTIMIZER.is("sgd")).render(CliWording.of("train")));
        // The data set is a word in most commands, an option in postprocess.
        assertEquals("DATASET", CliWording.of("train").field(RequestField.DATASET, null));
        assertEquals("--dataset DATASET", CliWording.of("postprocess").field(RequestField.DATASET, null));
        assertEquals("give with --work DIR", Message.of("give with ", RequestField.WORK_FOLDER)
                .render(CliWording.of("preprocess")));
    }

    @Test
    void stagesAreTheCommandLinesThatRunThem() {
        CliWording words = CliWording.of("train");
        assertEquals("'nnunet preprocess /d -c 2d --work /w'", words.stage(StageName.PREPROCESS.with(
                RequestField.WORK_FOLDER, "/w").with(RequestField.DATASET, "/d").with(RequestField.CONFIGURATION, "2d")));
        // What the command needs and the message does not know is a placeholder.
        assertEquals("'nnunet predict -i IN -o /p -m MODEL'", words.stage(StageName.PREDICT.with(RequestField.OUTPUT,
                "/p")));
        assertEquals("'nnunet postprocess determine -m MODEL'", words.stage(StageName.POSTPROCESS_DETERMINE.run()));
        assertEquals("'nnunet train DATASET CONFIG FOLD'", words.stage(StageName.TRAIN.run()));
    }

    @Test
    void aRefusedRequestIsWordedWithTheFlagsAndTheUsage() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main().run(List.of("postprocess", "apply", "-i", in.toString(), "--rule", "r.json"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(CliCommand.USAGE, code, text);
        assertTrue(text.startsWith("nnunet postprocess: No output folder: give as -o OUT a folder for the postprocessed"),
                text);
        assertTrue(text.contains("Usage: nnunet postprocess"), text);
        // A wrapped refusal keeps its fields.
        Args.UsageException wrapped = new Args.UsageException(new RequestException("give ", RequestField.MODEL));
        assertEquals("give 'model'", wrapped.getMessage());
        assertEquals("give -m MODEL", CliWording.of("predict").describe(wrapped.getCause()));
    }
}

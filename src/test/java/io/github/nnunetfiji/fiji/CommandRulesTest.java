package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.scijava.Context;
import org.scijava.Contextual;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.Cancelable;
import org.scijava.command.CommandService;
import org.scijava.command.ContextCommand;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.service.Service;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonStreamParser;

import io.github.nnunetfiji.testutil.FijiContextExtension;

/**
 * The rules every nnU-Net command follows, checked on every command in the project's SciJava
 * index (so commands added later are checked too): menu under Plugins &gt; nnU-Net, unique leaf
 * labels that Fiji's macro language can call, all-lowercase parameter names (Fiji lowercases macro
 * keys), no persisted inputs (a batch run must not inherit an earlier value), success/message
 * outputs for macros, cancelable, no Swing or AWT windows in the code, and a clear cancel reason
 * when run headless without inputs.
 */
class CommandRulesTest {

    /** A SciJava Context shared by the tests of this class, and a models folder per test. */
    @RegisterExtension
    static final FijiContextExtension fiji = new FijiContextExtension();

    private static final String INDEX = "META-INF/json/org.scijava.plugin.Plugin";
    private static final String MENU = "Plugins>nnU-Net>";
    /** Classes that open windows: not allowed in a command's code (run() must work headless). */
    private static final List<String> WINDOW_CLASSES = List.of("javax/swing/", "java/awt/Frame", "java/awt/Dialog",
            "java/awt/Window", "ij/gui/GenericDialog", "ij/gui/MessageDialog", "ij/gui/YesNoCancelDialog",
            "ij/gui/WaitForUserDialog", "ij/gui/NonBlockingGenericDialog");

    /** The command classes listed in this project's index (the one compiled into the plugin jar). */
    static List<String> indexedCommands() throws Exception {
        List<String> classes = new ArrayList<>();
        for (URL url : Collections.list(CommandRulesTest.class.getClassLoader().getResources(INDEX))) {
            try (InputStream in = url.openStream()) {
                JsonStreamParser p = new JsonStreamParser(new InputStreamReader(in, StandardCharsets.UTF_8));
                while (p.hasNext()) {
                    JsonElement e = p.next();
                    JsonObject o = e.getAsJsonObject();
                    String cls = o.get("class").getAsString();
                    JsonObject values = o.getAsJsonObject("values");
                    if (cls.startsWith("io.github.nnunetfiji.") && values != null && values.has("type")
                            && values.get("type").getAsString().equals(Command.class.getName())) {
                        classes.add(cls);
                    }
                }
            }
        }
        return classes;
    }

    private static boolean userInput(ModuleItem<?> item) {
        Class<?> t = item.getType();
        return !Service.class.isAssignableFrom(t) && !Context.class.isAssignableFrom(t)
                && !Contextual.class.isAssignableFrom(t) && !t.getName().equals("ij.ImagePlus");
    }

    @Test
    void everyCommandFollowsTheRules() throws Exception {
        List<String> classes = indexedCommands();
        assertTrue(classes.size() >= 6, "commands in the index: " + classes);
        Set<String> leaves = new HashSet<>();
        List<String> problems = new ArrayList<>();
        CommandService cs = fiji.service(CommandService.class);
        for (String cls : classes) {
            CommandInfo info = cs.getCommand(cls);
            assertNotNull(info, cls + " is indexed but not known to the CommandService");
            Class<?> type = Class.forName(cls);
            String menu = String.join(">", info.getMenuPath().stream().map(e -> e.getName()).toList());
            String leaf = info.getMenuPath().getLeaf().getName();
            if (!menu.startsWith(MENU) || info.getMenuPath().size() != 3) {
                problems.add(cls + ": menu " + menu + " is not Plugins > nnU-Net > LEAF");
            }
            if (!leaf.startsWith("nnU-Net ")) {
                problems.add(cls + ": leaf label '" + leaf + "' does not start with 'nnU-Net ' (unique across Fiji)");
            }
            if (!leaf.equals(info.getTitle())) {
                problems.add(cls + ": label '" + info.getTitle() + "' differs from the menu leaf '" + leaf
                        + "' (--run finds commands by label, macros by leaf)");
            }
            if (!leaves.add(leaf)) {
                problems.add(cls + ": leaf label '" + leaf + "' used twice");
            }
            if (!info.canRunHeadless()) {
                problems.add(cls + ": not marked headless = true");
            }
            boolean reports = NnunetCommand.class.isAssignableFrom(type) && ContextCommand.class.isAssignableFrom(type)
                    || DynamicNnunetCommand.class.isAssignableFrom(type);
            if (!reports) {
                problems.add(cls + ": does not extend NnunetCommand or DynamicNnunetCommand (success/message outputs, "
                        + "cancel)");
            }
            for (ModuleItem<?> item : info.inputs()) {
                // Services are injected, never macro keys (DynamicCommand brings camel-case ones of its own).
                boolean service = Service.class.isAssignableFrom(item.getType());
                if (!service && !item.getName().equals(item.getName().toLowerCase())) {
                    problems.add(cls + ": input '" + item.getName() + "' is not all lowercase");
                }
                if (userInput(item) && item.isPersisted()) {
                    problems.add(cls + ": input '" + item.getName() + "' is persisted (add persist = false)");
                }
            }
            for (ModuleItem<?> item : info.outputs()) {
                if (!item.getName().equals(item.getName().toLowerCase())) {
                    problems.add(cls + ": output '" + item.getName() + "' is not all lowercase");
                }
            }
            for (String window : windowClassesUsed(type)) {
                problems.add(cls + ": uses " + window + " (not headless-safe; use LogService/StatusService)");
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Window classes named in the class file's constant pool (the class and its nested classes). */
    private static List<String> windowClassesUsed(Class<?> type) throws Exception {
        List<String> used = new ArrayList<>();
        for (Class<?> c = type; c != null && c.getName().startsWith("io.github.nnunetfiji."); c = c.getSuperclass()) {
            String name = c.getName().replace('.', '/') + ".class";
            try (InputStream in = c.getClassLoader().getResourceAsStream(name)) {
                String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                for (String w : WINDOW_CLASSES) {
                    if (bytes.contains(w)) {
                        used.add(w);
                    }
                }
            }
        }
        return used;
    }

    @Test
    void everyCommandRunsHeadlessWithoutInputsAndSaysWhatIsMissing() throws Exception {
        System.setProperty(NnunetCommand.SUCCESS_PROPERTY, "stale");
        for (String cls : indexedCommands()) {
            if (cls.equals(AboutCommand.class.getName()) || cls.equals(FreeMemoryCommand.class.getName())) {
                continue; // need no input; AboutAndInstallCommandsTest and NnunetSessionServiceTest run them
            }
            // A DynamicCommand is its own module, others come wrapped in a CommandModule: both are Modules.
            Module m = fiji.service(ModuleService.class).run(fiji.service(CommandService.class).getCommand(cls),
                    true).get(2, TimeUnit.MINUTES);
            assertTrue(m instanceof Cancelable, cls);
            Cancelable c = (Cancelable) m;
            assertTrue(c.isCanceled(), cls + " ran without its inputs");
            String reason = c.getCancelReason();
            assertNotNull(reason, cls);
            assertFalse(reason.isBlank(), cls);
            assertFalse(reason.contains("is required but unset"), cls + " names a field by its key: " + reason);
            assertEquals(Boolean.FALSE, m.getOutput("success"), cls);
            assertEquals(reason, m.getOutput("message"), cls);
            assertEquals("false", System.getProperty(NnunetCommand.SUCCESS_PROPERTY), cls);
            assertEquals(reason, System.getProperty(NnunetCommand.MESSAGE_PROPERTY), cls);
        }
    }

}

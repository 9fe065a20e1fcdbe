package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.PluginInfo;
import org.scijava.plugin.PluginService;

import io.github.nnunetfiji.testutil.FijiContextExtension;

/**
 * In a macro, the inputs it leaves out are taken with their defaults, so Fiji's dialog does not
 * pop up for them; outside a macro, and for other commands, nothing changes.
 */
class MacroDefaultsPreprocessorTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    private Module installModel(boolean macro) {
        CommandInfo info = fiji.service(CommandService.class).getCommand(InstallModelCommand.class);
        Module module = fiji.service(ModuleService.class).createModule(info);
        module.setInput("model", new File("model.zip"));
        module.resolveInput("model"); // what the macro named
        MacroDefaultsPreprocessor p = new MacroDefaultsPreprocessor();
        p.inMacro = () -> macro;
        p.process(module);
        return module;
    }

    @Test
    void aMacroTakesTheDefaultsOfWhatItLeavesOut() {
        Module m = installModel(true);
        assertTrue(m.isInputResolved("replace"), "no dialog for 'replace'");
        assertEquals(Boolean.FALSE, m.getInput("replace"));
        assertTrue(m.isInputResolved("name"));
        assertEquals(new File("model.zip"), m.getInput("model"));
    }

    @Test
    void outsideAMacroTheDialogAsks() {
        Module m = installModel(false);
        assertFalse(m.isInputResolved("replace"));
        assertFalse(m.isInputResolved("name"));
    }

    @Test
    void aRequiredInputWithoutValueIsStillAskedFor() {
        CommandInfo info = fiji.service(CommandService.class).getCommand(ValidateDatasetCommand.class);
        Module module = fiji.service(ModuleService.class).createModule(info);
        MacroDefaultsPreprocessor p = new MacroDefaultsPreprocessor();
        p.inMacro = () -> true;
        p.process(module);
        assertFalse(module.isInputResolved("dataset"), "the data set folder has no default");
        assertTrue(module.isInputResolved("threads"));
    }

    /**
     * Every command of the menu, Segment Image (a DynamicCommand, with its model choices) included:
     * in Fiji's GUI a macro line such as {@code run("nnU-Net Segment Image", "model=[isbi_2d]")}
     * showed the dialog for the seven inputs it left out.
     */
    @Test
    void everyCommandTakesTheDefaultsOfWhatAMacroLeavesOut() {
        List<CommandInfo> commands = fiji.service(CommandService.class).getCommands().stream()
                .filter(c -> c.getClassName().startsWith("io.github.nnunetfiji.")).toList();
        assertTrue(commands.size() >= 15, "the menu's commands: " + commands.size());
        assertTrue(commands.stream().anyMatch(c -> c.getClassName().equals(SegmentImageCommand.class.getName())));
        for (CommandInfo info : commands) {
            Module module = fiji.service(ModuleService.class).createModule(info);
            MacroDefaultsPreprocessor p = new MacroDefaultsPreprocessor();
            p.inMacro = () -> true;
            p.process(module);
            for (ModuleItem<?> input : info.inputs()) {
                if (!input.isRequired()) {
                    assertTrue(module.isInputResolved(input.getName()),
                            info.getTitle() + ": '" + input.getName() + "' would be asked for in a dialog");
                }
            }
        }
    }

    @Test
    void itIsAPreprocessorOfTheContext() {
        boolean found = false;
        for (PluginInfo<PreprocessorPlugin> p : fiji.service(PluginService.class).getPluginsOfType(
                PreprocessorPlugin.class)) {
            found |= p.getClassName().equals(MacroDefaultsPreprocessor.class.getName());
        }
        assertTrue(found, "registered through the plugin index");
    }
}

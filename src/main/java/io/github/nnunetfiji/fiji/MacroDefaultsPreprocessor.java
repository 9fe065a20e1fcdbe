package io.github.nnunetfiji.fiji;

import java.util.function.BooleanSupplier;

import org.scijava.Priority;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPreprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.Plugin;

import ij.IJ;
import ij.Macro;

/**
 * What a macro leaves out takes the default, as for ImageJ 1 plugins: when one of this project's
 * commands runs from a macro with options, every input the options do not give is taken as it stands (its
 * default) instead of being asked for in a dialog. The legacy layer's macro preprocessor sets the
 * inputs the macro names and leaves the others unresolved, and Fiji's input harvester would then show
 * a dialog for them in the GUI (Install Model asking for "Replace", a segment macro for seven fields),
 * stopping a batch run. An input the command requires and has no value for is still asked for.
 * Runs after the legacy layer's macro preprocessor and before the input harvester.
 */
@Plugin(type = PreprocessorPlugin.class, priority = Priority.LOW)
public class MacroDefaultsPreprocessor extends AbstractPreprocessorPlugin {

    /**
     * Whether a macro runs the command with options, as the legacy layer reads them: as with an
     * ImageJ 1 plugin, {@code run("nnU-Net Train")} without options still shows the dialog.
     */
    BooleanSupplier inMacro = () -> IJ.isMacro() && Macro.getOptions() != null;

    @Override
    public void process(Module module) {
        if (!NnunetCommand.isNnunetCommand(module.getDelegateObject()) || !inMacro.getAsBoolean()) {
            return;
        }
        for (ModuleItem<?> input : module.getInfo().inputs()) {
            String name = input.getName();
            if (!module.isInputResolved(name) && (!input.isRequired() || module.getInput(name) != null)) {
                module.resolveInput(name);
            }
        }
    }
}

package io.github.nnunetfiji.fiji;

import org.scijava.Priority;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPostprocessorPlugin;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.plugin.Plugin;
import org.scijava.util.Types;

/**
 * After an nnU-Net command, marks every simple output (text, number, boolean) except the command's
 * {@link ShownOutput#shownOutput()} as handled, so that Fiji's output display (which runs later,
 * at a lower priority, and skips handled outputs) shows the report alone as text and Segment Image's
 * label image alone, instead of a Name/Value table of success, message and file paths. The values
 * stay on the module for scripts.
 */
@Plugin(type = PostprocessorPlugin.class, priority = Priority.LOW)
public class OutputDisplayFilter extends AbstractPostprocessorPlugin {

    @Override
    public void process(Module module) {
        // A CommandModule delegates to its command; a DynamicCommand is its own module and delegate.
        if (!(module.getDelegateObject() instanceof ShownOutput command)) {
            return;
        }
        String shown = command.shownOutput();
        for (ModuleItem<?> output : module.getInfo().outputs()) {
            Class<?> type = output.getType();
            boolean simple = Types.isText(type) || Types.isNumber(type) || Types.isBoolean(type);
            if (simple && !output.getName().equals(shown)) {
                module.resolveOutput(output.getName());
            }
        }
    }
}

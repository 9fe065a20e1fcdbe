package io.github.nnunetfiji.fiji;

import java.util.function.BiConsumer;

import org.scijava.Priority;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPostprocessorPlugin;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.ui.UIService;
import org.scijava.util.Types;

/**
 * How an nnU-Net command's outputs are shown after a run. Every simple output (text, number,
 * boolean) except the command's {@link ShownOutput#shownOutput()} is marked as handled, so that
 * Fiji's output display (which runs later, at a lower priority, and skips handled outputs) does not
 * open a Name/Value table of success, message and file paths; Segment Image's label image is left
 * to it. The shown text itself:
 * <ul>
 *   <li>with ImageJ 1's GUI, in a {@link ReportWindow} titled after the command, sized to the text
 *       and closable from a macro (Fiji's own display would open a 602x502 window titled with the
 *       output's label, "Report" or "About", that ImageJ's macro language cannot select);</li>
 *   <li>headless, on the console once: the command logged it already, and the headless display would
 *       print it a second time as "Report = ..." (a text the command did not log is logged here).</li>
 * </ul>
 * The values stay on the module for scripts.
 */
@Plugin(type = PostprocessorPlugin.class, priority = Priority.LOW)
public class OutputDisplayFilter extends AbstractPostprocessorPlugin {

    @Parameter(required = false)
    private UIService ui;

    @Parameter(required = false)
    private LogService log;

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
        if (shown == null || module.isOutputResolved(shown) || !(module.getOutput(shown) instanceof String text)
                || text.isBlank()) {
            return;
        }
        BiConsumer<String, String> window = ReportWindow.opener.get();
        if (window != null) {
            window.accept(ReportWindow.title(module.getInfo().getTitle()), text);
            module.resolveOutput(shown);
        } else if (ui == null || ui.isHeadless()) {
            if (!command.logged(text) && log != null) {
                log.info(text);
            }
            module.resolveOutput(shown);
        }
        // Otherwise a user interface without ImageJ 1 shows it its own way.
    }
}

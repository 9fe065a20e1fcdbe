package io.github.nnunetfiji.fiji;

import java.util.ArrayList;
import java.util.List;

import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPreprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.module.process.SaveInputsPreprocessor;
import org.scijava.plugin.Plugin;

/**
 * A required field of an nnU-Net command left empty is named as the dialog names it, with its macro
 * key and what to do, e.g. {@code "Data set folder" is not set: choose it in the nnU-Net Validate
 * dialog, or give it in a macro as dataset=[...].}. Without it scijava-common's
 * {@code CheckInputsPreprocessor} cancels with {@code 'dataset' is required but unset.}, a key the
 * dialog never shows. Runs after the dialog (input harvester) and just before that check, which then
 * finds the module already canceled.
 */
@Plugin(type = PreprocessorPlugin.class, priority = SaveInputsPreprocessor.PRIORITY - 0.5)
public class RequiredInputsPreprocessor extends AbstractPreprocessorPlugin {

    @Override
    public void process(Module module) {
        if (!NnunetCommand.isNnunetCommand(module.getDelegateObject())) {
            return;
        }
        List<ModuleItem<?>> missing = new ArrayList<>();
        for (ModuleItem<?> input : module.getInfo().inputs()) {
            if (input.isRequired() && input.getValue(module) == null) {
                missing.add(input);
            }
        }
        if (!missing.isEmpty()) {
            cancel(DialogText.forDialog(reason(module.getInfo().getTitle(), missing)));
        }
    }

    /** What is missing, by dialog label, and how to give it. */
    static String reason(String title, List<ModuleItem<?>> missing) {
        List<String> labels = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (ModuleItem<?> input : missing) {
            String label = input.getLabel();
            labels.add("\"" + (label == null || label.isBlank() ? input.getName() : label) + "\"");
            keys.add(input.getName() + "=[...]");
        }
        boolean one = missing.size() == 1;
        return String.join(" and ", labels) + (one ? " is" : " are") + " not set: choose " + (one ? "it" : "them")
                + " in the " + title + " dialog, or give " + (one ? "it" : "them") + " in a macro as "
                + String.join(" ", keys) + ".";
    }
}

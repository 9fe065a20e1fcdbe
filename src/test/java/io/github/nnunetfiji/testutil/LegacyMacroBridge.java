package io.github.nnunetfiji.testutil;

import java.lang.reflect.Field;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;

import org.scijava.Context;
import org.scijava.ItemVisibility;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;

import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.Menus;
import ij.plugin.PlugIn;

/**
 * Runs ImageJ 1 macros against the SciJava commands headless, as Fiji does: each command's menu
 * leaf label goes into ImageJ 1's command table (imagej-legacy does the same, without building AWT
 * menus, which plain ImageJ 1 cannot do headless), and {@code run("Leaf", "key=value ...")}
 * reaches this plug-in, which fills the inputs the way imagej-legacy 2.0.0's MacroPreprocessor does
 * ({@code Macro.getValue} per input name, converted by the ConvertService; an input the options do
 * not name keeps its default; an image input is the image of that title, else the active image)
 * and runs the command with pre- and postprocessing; image outputs are shown (in batch mode: they
 * become the active image).
 */
public class LegacyMacroBridge implements PlugIn {

    private static Context context;

    /** Registers every command of {@code context} whose menu starts with {@code menuPrefix}. */
    @SuppressWarnings("unchecked")
    public static void install(Context ctx, String menuPrefix) throws ReflectiveOperationException {
        context = ctx;
        Field f = Menus.class.getDeclaredField("pluginsTable");
        f.setAccessible(true);
        Hashtable<String, String> table = (Hashtable<String, String>) f.get(null);
        if (table == null) {
            table = new Hashtable<>();
            f.set(null, table);
        }
        for (CommandInfo info : ctx.service(CommandService.class).getCommands()) {
            if (info.getMenuPath() == null || info.getMenuPath().isEmpty()) {
                continue;
            }
            String menu = String.join(">", info.getMenuPath().stream().map(e -> e.getName()).toList());
            if (menu.startsWith(menuPrefix)) {
                table.put(info.getMenuPath().getLeaf().getName(),
                        LegacyMacroBridge.class.getName() + "(\"" + info.getClassName() + "\")");
            }
        }
    }

    @Override
    public void run(String commandClass) {
        String options = Macro.getOptions();
        CommandInfo info = context.service(CommandService.class).getCommand(commandClass);
        ModuleService modules = context.service(ModuleService.class);
        ConvertService convert = context.service(ConvertService.class);
        Module module = modules.createModule(info);
        for (ModuleItem<?> input : info.inputs()) {
            if (input.getVisibility() == ItemVisibility.MESSAGE) {
                module.resolveInput(input.getName());
                continue;
            }
            String value = options == null ? null : Macro.getValue(options, input.getName(), null);
            if (input.getType() == ImagePlus.class) {
                // imagej-legacy: an image named by its title, else the active image.
                ImagePlus imp = value != null ? WindowManager.getImage(value) : WindowManager.getCurrentImage();
                if (imp != null) {
                    module.setInput(input.getName(), imp);
                    module.resolveInput(input.getName());
                }
                continue;
            }
            if (value == null || !convert.supports(value, input.getType())) {
                continue; // no value given: the command's default applies
            }
            module.setInput(input.getName(), convert.convert(value, input.getType()));
            module.resolveInput(input.getName());
        }
        try {
            modules.run(module, true).get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException(info.getTitle() + " failed: " + e, e);
        }
        // imagej-legacy shows image outputs; in batch mode that makes them the active image.
        for (ModuleItem<?> output : info.outputs()) {
            if (module.getOutput(output.getName()) instanceof ImagePlus imp && ij.macro.Interpreter.isBatchMode()) {
                imp.show();
            }
        }
    }
}

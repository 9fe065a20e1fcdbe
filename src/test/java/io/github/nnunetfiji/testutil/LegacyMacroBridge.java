package io.github.nnunetfiji.testutil;

import java.lang.reflect.Field;
import java.util.Hashtable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.scijava.Context;
import org.scijava.ItemVisibility;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleRunner;
import org.scijava.module.ModuleService;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.PluginService;
import org.scijava.thread.ThreadService;

import ij.ImagePlus;
import ij.Macro;
import ij.Menus;
import ij.WindowManager;
import ij.plugin.PlugIn;

/**
 * Runs ImageJ 1 macros against the SciJava commands headless, as Fiji does: each command's menu
 * leaf label goes into ImageJ 1's command table (imagej-legacy does the same, without building AWT
 * menus, which plain ImageJ 1 cannot do headless), and {@code run("Leaf", "key=value ...")}
 * reaches this plug-in on the macro's thread. Like imagej-legacy's
 * {@code LegacyService.runLegacyCompatibleCommand} it runs the command on a thread of the
 * ThreadService (whose parent is the macro's thread) and waits for it. On that thread, with pre- and
 * postprocessing, the inputs are filled the way imagej-legacy's MacroPreprocessor and
 * ActiveImagePlusPreprocessor do ({@code Macro.getValue} per input name, converted by the
 * ConvertService; an input the options do not name keeps its default; an image input is the image
 * of that title, else {@code WindowManager.getCurrentImage()} as that thread sees it).
 * <p>
 * Image outputs: headless Fiji shows none (its UI has no viewer for an ImagePlus). Fiji with a
 * display shows each output the display postprocessor still has to handle with
 * {@code ImagePlus.show()} on the command's thread (imagej-legacy's ImagePlusDisplayViewer); in batch
 * mode that makes it the current image of the command's thread only, not of the macro's.
 * {@link #showImageOutputs(boolean)} chooses which of the two this bridge does. Nothing here makes
 * an output the macro's active image: that is the command's business, as in Fiji.
 */
public class LegacyMacroBridge implements PlugIn {

    private static Context context;
    private static volatile boolean showImageOutputs;

    /** Registers every command of {@code context} whose menu starts with {@code menuPrefix}. */
    public static void install(Context ctx, String menuPrefix) throws ReflectiveOperationException {
        context = ctx;
        showImageOutputs = false;
        Hashtable<String, String> table = commandTable();
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

    /**
     * Points {@code label} in ImageJ 1's command table at {@code plugin} (as plugins.config writes it,
     * {@code pkg.Class("arg")}) and returns what it pointed at, or null, to put back afterwards.
     */
    public static String point(String label, String plugin) throws ReflectiveOperationException {
        Hashtable<String, String> table = commandTable();
        return plugin == null ? table.remove(label) : table.put(label, plugin);
    }

    /** ImageJ 1's label-to-plugin table, which {@code run("Label")} looks in (made if menus were never built). */
    @SuppressWarnings("unchecked")
    private static Hashtable<String, String> commandTable() throws ReflectiveOperationException {
        Field f = Menus.class.getDeclaredField("pluginsTable");
        f.setAccessible(true);
        Hashtable<String, String> table = (Hashtable<String, String>) f.get(null);
        if (table == null) {
            table = new Hashtable<>();
            f.set(null, table);
        }
        return table;
    }

    /**
     * True: unhandled image outputs are shown on the command's thread, as Fiji with a display does;
     * false (the default): not at all, as headless Fiji.
     */
    public static void showImageOutputs(boolean show) {
        showImageOutputs = show;
    }

    @Override
    public void run(String commandClass) {
        // Read on the macro's thread; imagej-legacy's patched Macro.getOptions() finds them from the command's.
        String options = Macro.getOptions();
        CommandInfo info = context.service(CommandService.class).getCommand(commandClass);
        PluginService plugins = context.service(PluginService.class);
        Future<Module> done = context.service(ThreadService.class).run(() -> {
            Module module = context.service(ModuleService.class).createModule(info);
            fillInputs(module, info, options);
            new ModuleRunner(context, module, plugins.createInstancesOfType(PreprocessorPlugin.class),
                    plugins.createInstancesOfType(PostprocessorPlugin.class)).call();
            if (showImageOutputs) {
                showImageOutputs(module, info);
            }
            return module;
        });
        try {
            done.get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException(info.getTitle() + " failed: " + e, e);
        }
    }

    private static void fillInputs(Module module, CommandInfo info, String options) {
        ConvertService convert = context.service(ConvertService.class);
        for (ModuleItem<?> input : info.inputs()) {
            if (input.getVisibility() == ItemVisibility.MESSAGE) {
                module.resolveInput(input.getName());
                continue;
            }
            String value = options == null ? null : Macro.getValue(options, input.getName(), null);
            if (input.getType() == ImagePlus.class) {
                // imagej-legacy: an image named by its title, else the active image as this thread sees it.
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
    }

    /** What Fiji's display postprocessor and imagej-legacy's ImagePlusDisplayViewer do, on this thread. */
    private static void showImageOutputs(Module module, CommandInfo info) {
        for (ModuleItem<?> output : info.outputs()) {
            if (!module.isOutputResolved(output.getName()) && module.getOutput(output.getName()) instanceof ImagePlus imp) {
                imp.show();
                module.resolveOutput(output.getName());
            }
        }
    }
}

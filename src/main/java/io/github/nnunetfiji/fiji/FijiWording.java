package io.github.nnunetfiji.fiji;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.RequestField;
import io.github.nnunetfiji.util.StageName;

/**
 * Fiji's words for the core's {@link Message}s: a request field is the dialog field of the command
 * at hand with its macro key ({@code 'Epochs (0 = the plan's)' (epochs=)}, or
 * {@code 'Optimizer' (optimizer=sgd)} with a value), and running a stage is its menu command with
 * the values as macro options ({@code nnU-Net Preprocess with dataset=[/data/Task] configurations=2d}).
 * Labels and keys are read from the commands' own {@code @Parameter}s and {@code @Plugin}s, so a
 * renamed dialog field renames the messages too. A field the command has no dialog field for is
 * worded as the Java API words it.
 */
final class FijiWording implements Message.Vocabulary {

    /** The macro keys (the commands' parameter names) that set each field, tried in order. */
    private static final Map<RequestField, List<String>> KEYS = new EnumMap<>(RequestField.class);

    /** The menu command(s) that run each stage, in order. */
    private static final Map<StageName, List<Class<?>>> COMMANDS = new EnumMap<>(StageName.class);

    static {
        KEYS.put(RequestField.DATASET, List.of("dataset"));
        KEYS.put(RequestField.WORK_FOLDER, List.of("work"));
        KEYS.put(RequestField.CONFIGURATION, List.of("configuration", "configurations"));
        KEYS.put(RequestField.FOLD, List.of("fold", "folds"));
        KEYS.put(RequestField.EPOCHS, List.of("epochs"));
        KEYS.put(RequestField.ITERATIONS_PER_EPOCH, List.of("iterations_per_epoch"));
        KEYS.put(RequestField.TIME_LIMIT, List.of("time_limit"));
        KEYS.put(RequestField.BUDGET, List.of("budget"));
        KEYS.put(RequestField.CONTINUE, List.of("continue_training"));
        KEYS.put(RequestField.SPLITS_FILE, List.of("splits"));
        KEYS.put(RequestField.OPTIMIZER, List.of("optimizer"));
        KEYS.put(RequestField.ELASTIC, List.of("elastic"));
        KEYS.put(RequestField.DEVICE, List.of("device"));
        KEYS.put(RequestField.PRECISION, List.of("precision"));
        KEYS.put(RequestField.SAVE_INTERVAL, List.of("save_every"));
        KEYS.put(RequestField.SEED, List.of("seed"));
        KEYS.put(RequestField.THREADS, List.of("threads"));
        KEYS.put(RequestField.MODEL, List.of("model", "modelfolder"));
        KEYS.put(RequestField.INPUT, List.of("input"));
        KEYS.put(RequestField.OUTPUT, List.of("output"));
        KEYS.put(RequestField.RULE_FILE, List.of("rule"));
        KEYS.put(RequestField.METHOD, List.of("method"));
        KEYS.put(RequestField.PREDICTIONS, List.of("predictions"));
        KEYS.put(RequestField.REFERENCES, List.of("references"));

        COMMANDS.put(StageName.VALIDATE, List.of(ValidateDatasetCommand.class));
        COMMANDS.put(StageName.FINGERPRINT, List.of(FingerprintCommand.class));
        COMMANDS.put(StageName.PLAN, List.of(PlanCommand.class));
        COMMANDS.put(StageName.PREPROCESS, List.of(PreprocessCommand.class));
        COMMANDS.put(StageName.PLAN_AND_PREPROCESS, List.of(PlanCommand.class, PreprocessCommand.class));
        COMMANDS.put(StageName.TRAIN, List.of(TrainCommand.class));
        COMMANDS.put(StageName.PREDICT, List.of(PredictCommand.class));
        COMMANDS.put(StageName.POSTPROCESS_DETERMINE, List.of(PostprocessCommand.class));
        COMMANDS.put(StageName.EVALUATE, List.of(EvaluateCommand.class));
    }

    /** A dialog field: its macro key and label. */
    record Input(String key, String label) {
    }

    private final Class<?> command;

    private FijiWording(Class<?> command) {
        this.command = command;
    }

    /** The words of one command's dialog. */
    static FijiWording of(Class<?> command) {
        return new FijiWording(command);
    }

    /** What a failure says, in this dialog's words ({@link Message#describe}). */
    String describe(Throwable t) {
        return Message.describe(t, this);
    }

    @Override
    public String field(RequestField field, String value) {
        Input in = input(command, field);
        if (in == null) {
            return Message.NEUTRAL.field(field, value);
        }
        return "'" + in.label() + "' (" + in.key() + "=" + (value == null ? "" : macroValue(value)) + ")";
    }

    @Override
    public String stage(Message.Run run) {
        List<Class<?>> targets = COMMANDS.get(run.stage());
        StringJoiner names = new StringJoiner(", then ");
        targets.forEach(c -> names.add(menuLabel(c)));
        List<String> options = new ArrayList<>();
        if (run.stage() == StageName.POSTPROCESS_DETERMINE) {
            options.add("action=" + PostprocessCommand.DETERMINE);
        }
        for (Map.Entry<RequestField, String> v : run.values().entrySet()) {
            Input in = null;
            for (Class<?> c : targets) {
                in = in != null ? in : input(c, v.getKey());
            }
            options.add(in != null ? in.key() + "=" + macroValue(v.getValue())
                    : Message.NEUTRAL.field(v.getKey(), v.getValue()));
        }
        return names + (options.isEmpty() ? "" : " with " + String.join(" ", options));
    }

    /** The dialog field of a command that sets a request field, or null if it has none. */
    static Input input(Class<?> command, RequestField field) {
        for (String key : KEYS.getOrDefault(field, List.of())) {
            for (Class<?> c = command; c != null && c != Object.class; c = c.getSuperclass()) {
                try {
                    Field f = c.getDeclaredField(key);
                    Parameter p = f.getAnnotation(Parameter.class);
                    if (p != null) {
                        return new Input(key, p.label().isEmpty() ? key : shortLabel(p.label()));
                    }
                } catch (NoSuchFieldException e) {
                    // not declared here: try the superclass
                }
            }
        }
        return null;
    }

    /**
     * A label without its trailing remark in parentheses ("Epochs (0 = the plan's)" is "Epochs",
     * "Input folder (apply)" is "Input folder"): the macro key beside it is exact.
     */
    static String shortLabel(String label) {
        String s = label.replaceFirst("\\s*\\([^()]*\\)$", "");
        return s.isBlank() ? label : s;
    }

    /** The menu entry of a command ({@code nnU-Net Preprocess}). */
    static String menuLabel(Class<?> command) {
        Plugin p = command.getAnnotation(Plugin.class);
        return p != null && !p.label().isEmpty() ? p.label() : command.getSimpleName();
    }

    /** A value as a macro writes it: in brackets unless it is one plain word. */
    private static String macroValue(String value) {
        return value.matches("[A-Za-z0-9_.+-]+") ? value : "[" + value + "]";
    }
}

package io.github.nnunetfiji.cli;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.RequestField;
import io.github.nnunetfiji.util.StageName;

/**
 * The command line's words for the core's {@link Message}s: a request field is the flag that sets
 * it in the command at hand ({@code --epochs}, {@code -m MODEL}, {@code --dataset DATASET} in
 * {@code postprocess} but the positional {@code DATASET} elsewhere), and running a stage is the
 * command line that does it ({@code 'nnunet preprocess /data/Task -c 2d'}), with placeholders for
 * what it needs and the message does not know. The tables below are the synopses of the commands;
 * {@code CliWordingTest} checks each flag against the options its command accepts.
 */
public final class CliWording implements Message.Vocabulary {

    /**
     * How a field is given on the command line.
     *
     * @param flag     the option ({@code --work}, {@code -m}), or null for a positional argument
     * @param metavar  the placeholder of its value ({@code DIR}), or null where a sentence names
     *                 the option alone ({@code --epochs}); for a positional argument, its name
     * @param required whether the command needs it (shown as a placeholder when a run names no value)
     * @param switchOnly an option without a value ({@code --continue})
     */
    record Option(String flag, String metavar, boolean required, boolean switchOnly) {

        static Option positional(String name) {
            return new Option(null, name, true, false);
        }

        static Option valued(String flag, String metavar) {
            return new Option(flag, metavar, false, false);
        }

        static Option required(String flag, String metavar) {
            return new Option(flag, metavar, true, false);
        }

        static Option named(String flag) {
            return new Option(flag, null, false, false);
        }

        static Option flag(String flag) {
            return new Option(flag, null, false, true);
        }

        String named() {
            return flag == null ? metavar : metavar == null ? flag : flag + " " + metavar;
        }

        String given(String value) {
            return flag == null ? value : switchOnly ? flag : flag + " " + value;
        }
    }

    /** Every field as most commands spell it. */
    private static final Map<RequestField, Option> COMMON = new EnumMap<>(RequestField.class);

    /** Each command's synopsis, in order (and its own spelling where it differs from {@link #COMMON}). */
    static final Map<String, Map<RequestField, Option>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMON.put(RequestField.DATASET, Option.positional("DATASET"));
        COMMON.put(RequestField.WORK_FOLDER, Option.valued("--work", "DIR"));
        COMMON.put(RequestField.CONFIGURATION, Option.valued("-c", "CONFIG"));
        COMMON.put(RequestField.FOLD, Option.positional("FOLD"));
        COMMON.put(RequestField.EPOCHS, Option.named("--epochs"));
        COMMON.put(RequestField.ITERATIONS_PER_EPOCH, Option.named("--iterations-per-epoch"));
        COMMON.put(RequestField.TIME_LIMIT, Option.named("--time-limit"));
        COMMON.put(RequestField.BUDGET, Option.named("--budget"));
        COMMON.put(RequestField.CONTINUE, Option.flag("--continue"));
        COMMON.put(RequestField.SPLITS_FILE, Option.valued("--splits", "FILE"));
        COMMON.put(RequestField.OPTIMIZER, Option.named("--optimizer"));
        COMMON.put(RequestField.ELASTIC, Option.named("--elastic"));
        COMMON.put(RequestField.DEVICE, Option.named("--device"));
        COMMON.put(RequestField.PRECISION, Option.named("--precision"));
        COMMON.put(RequestField.SAVE_INTERVAL, Option.named("--save-every"));
        COMMON.put(RequestField.SEED, Option.named("--seed"));
        COMMON.put(RequestField.THREADS, Option.named("--threads"));
        COMMON.put(RequestField.MODEL, Option.valued("-m", "MODEL"));
        COMMON.put(RequestField.INPUT, Option.valued("-i", "IN"));
        COMMON.put(RequestField.OUTPUT, Option.valued("-o", "OUT"));
        COMMON.put(RequestField.RULE_FILE, Option.valued("--rule", "FILE"));
        COMMON.put(RequestField.METHOD, Option.named("--method"));
        COMMON.put(RequestField.PREDICTIONS, Option.positional("PRED"));
        COMMON.put(RequestField.REFERENCES, Option.positional("GT"));

        Option dataset = Option.positional("DATASET");
        Option work = COMMON.get(RequestField.WORK_FOLDER);
        Option configs = COMMON.get(RequestField.CONFIGURATION);
        command("validate", RequestField.DATASET, dataset, RequestField.WORK_FOLDER, work);
        command("fingerprint", RequestField.DATASET, dataset, RequestField.WORK_FOLDER, work);
        command("plan", RequestField.DATASET, dataset, RequestField.WORK_FOLDER, work);
        command("preprocess", RequestField.DATASET, dataset, RequestField.CONFIGURATION, configs,
                RequestField.WORK_FOLDER, work);
        command("plan_and_preprocess", RequestField.DATASET, dataset, RequestField.CONFIGURATION, configs,
                RequestField.WORK_FOLDER, work);
        command("train", RequestField.DATASET, dataset, RequestField.CONFIGURATION, Option.positional("CONFIG"),
                RequestField.FOLD, Option.positional("FOLD"), RequestField.WORK_FOLDER, work);
        command("predict", RequestField.INPUT, Option.required("-i", "IN"), RequestField.OUTPUT,
                Option.required("-o", "OUT"), RequestField.MODEL, Option.required("-m", "MODEL"),
                RequestField.CONFIGURATION, Option.valued("-c", "CONFIG"), RequestField.FOLD, Option.named("--folds"));
        Option model = Option.valued("-m", "MODEL");
        Option labels = Option.valued("--dataset", "DATASET");
        command("postprocess", RequestField.MODEL, model, RequestField.CONFIGURATION, Option.valued("-c", "CONFIG"),
                RequestField.METHOD, Option.named("--method"), RequestField.DATASET, labels, RequestField.INPUT,
                Option.valued("-i", "IN"), RequestField.OUTPUT, Option.valued("-o", "OUT"), RequestField.RULE_FILE,
                Option.valued("--rule", "FILE"));
        command("postprocess determine", RequestField.MODEL, Option.required("-m", "MODEL"),
                RequestField.CONFIGURATION, Option.valued("-c", "CONFIG"), RequestField.METHOD, Option.named("--method"),
                RequestField.DATASET, labels);
        command("auto", RequestField.DATASET, dataset, RequestField.CONFIGURATION, configs, RequestField.FOLD,
                Option.named("--folds"), RequestField.WORK_FOLDER, work);
        command("select", RequestField.DATASET, dataset, RequestField.CONFIGURATION, configs, RequestField.FOLD,
                Option.named("--folds"), RequestField.WORK_FOLDER, work);
        command("export_model", RequestField.MODEL, Option.required("-m", "MODEL"), RequestField.CONFIGURATION,
                Option.valued("-c", "CONFIG"), RequestField.FOLD, Option.named("--folds"), RequestField.OUTPUT,
                Option.required("-o", "FILE.zip"));
        command("evaluate", RequestField.PREDICTIONS, Option.positional("PRED"), RequestField.REFERENCES,
                Option.positional("GT"), RequestField.OUTPUT, Option.valued("--output", "FILE"));
    }

    private static void command(String name, Object... fieldsAndOptions) {
        Map<RequestField, Option> m = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndOptions.length; i += 2) {
            m.put((RequestField) fieldsAndOptions[i], (Option) fieldsAndOptions[i + 1]);
        }
        COMMANDS.put(name, m);
    }

    /** The command a stage is run with ({@code postprocess determine} for the rule). */
    static String command(StageName stage) {
        return stage.words();
    }

    private final String command;

    private CliWording(String command) {
        this.command = command;
    }

    /** The words of one command: its own spelling of each field ({@code nnunet train} takes CONFIG as a word). */
    public static CliWording of(String command) {
        return new CliWording(command);
    }

    /** What a failure says, in the command line's words ({@link Message#describe}). */
    public String describe(Throwable t) {
        return Message.describe(t, this);
    }

    private Option option(String cmd, RequestField field) {
        Map<RequestField, Option> own = COMMANDS.get(cmd);
        Option o = own == null ? null : own.get(field);
        return o != null ? o : COMMON.get(field);
    }

    @Override
    public String field(RequestField field, String value) {
        Option o = option(command, field);
        return value == null ? o.named() : o.given(value);
    }

    @Override
    public String stage(Message.Run run) {
        String cmd = command(run.stage());
        StringBuilder sb = new StringBuilder("'nnunet ").append(cmd);
        Map<RequestField, Option> synopsis = COMMANDS.getOrDefault(cmd, Map.of());
        for (Map.Entry<RequestField, Option> e : synopsis.entrySet()) {
            String value = run.values().get(e.getKey());
            if (value != null) {
                sb.append(' ').append(e.getValue().given(value));
            } else if (e.getValue().required()) {
                sb.append(' ').append(e.getValue().named());
            }
        }
        for (Map.Entry<RequestField, String> v : run.values().entrySet()) {
            if (!synopsis.containsKey(v.getKey())) {
                sb.append(' ').append(option(cmd, v.getKey()).given(v.getValue()));
            }
        }
        return sb.append('\'').toString();
    }

    /** The options a command's table names, without dashes, as {@link CliCommand#valuedOptions()} lists them. */
    static List<String> optionNames(String command) {
        return COMMANDS.getOrDefault(command, Map.of()).values().stream().filter(o -> o.flag() != null)
                .map(o -> o.flag().replaceFirst("^--?", "")).toList();
    }
}

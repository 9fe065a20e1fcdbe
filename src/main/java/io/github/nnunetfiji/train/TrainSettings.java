package io.github.nnunetfiji.train;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.nnunetfiji.engine.Device;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.util.RequestException;
import io.github.nnunetfiji.util.RequestField;

/**
 * The words people type for a training's settings (a duration, a device, an optimizer, elastic
 * deformation, a number format), read the same way on every surface: the command line and the
 * Fiji dialog both call these. A word that is not understood is a {@link RequestException} naming
 * the field, which each surface words as its flag or dialog field. Case and surrounding blanks do
 * not matter.
 */
public final class TrainSettings {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)([hms])");

    private TrainSettings() {
    }

    /**
     * A positive duration: {@code 15m}, {@code 1h30m}, {@code 90s}, {@code 2.5h}; a bare number
     * means minutes.
     *
     * @param field the field it was given for (for the message)
     * @param text  the words
     * @return the duration, at least 1 ms
     * @throws RequestException if it is not such a duration or not positive
     */
    public static Duration duration(RequestField field, String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.matches("\\d+(\\.\\d+)?")) {
            t += "m";
        }
        Matcher m = PART.matcher(t);
        double seconds = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            seconds += v * switch (m.group(2)) {
                case "h" -> 3600;
                case "m" -> 60;
                default -> 1;
            };
            end = m.end();
        }
        if (t.isEmpty() || end != t.length() || seconds <= 0) {
            throw new RequestException(field, " must be a duration such as 15m, 1h30m or 90s, got '", text, "'");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /**
     * How often the latest checkpoint is written: a duration as {@link #duration}, or 0 (also
     * {@code 0m} ...) for after every epoch.
     *
     * @throws RequestException if it is neither
     */
    public static Duration saveInterval(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return t.matches("0+[hms]?") ? Duration.ZERO : duration(RequestField.SAVE_INTERVAL, t);
    }

    /**
     * Where the network runs: {@code cpu}, {@code gpu} or {@code auto}.
     *
     * @throws RequestException for another word
     */
    public static Device device(String text) {
        return switch (word(text)) {
            case "cpu" -> Device.CPU;
            case "gpu" -> Device.GPU;
            case "auto" -> Device.AUTO;
            default -> throw new RequestException(RequestField.DEVICE, " must be cpu, gpu or auto, got '", text, "'");
        };
    }

    /**
     * The optimizer: {@code sgd} (the reference's) or {@code adam} (the paper's).
     *
     * @throws RequestException for another word
     */
    public static TrainRequest.Optimizer optimizer(String text) {
        return switch (word(text)) {
            case "sgd" -> TrainRequest.Optimizer.SGD;
            case "adam" -> TrainRequest.Optimizer.ADAM;
            default -> throw new RequestException(RequestField.OPTIMIZER, " must be sgd or adam, got '", text, "'");
        };
    }

    /**
     * Elastic deformation: {@code on}, {@code off}, or {@code default} (or nothing): on for a new
     * training, as before for a resumed one.
     *
     * @return true, false, or null for the default
     * @throws RequestException for another word
     */
    public static Boolean elastic(String text) {
        return switch (word(text)) {
            case "on" -> Boolean.TRUE;
            case "off" -> Boolean.FALSE;
            case "", "default" -> null;
            default -> throw new RequestException(RequestField.ELASTIC, " must be on, off or default, got '", text, "'");
        };
    }

    /**
     * The number format: {@code auto}, {@code float32} or {@code bfloat16} (mixed precision).
     *
     * @throws RequestException for another word
     */
    public static EngineOptions.Precision precision(String text) {
        return switch (word(text)) {
            case "auto" -> EngineOptions.Precision.AUTO;
            case "float32" -> EngineOptions.Precision.FLOAT32;
            case "bfloat16" -> EngineOptions.Precision.MIXED_BFLOAT16;
            default -> throw new RequestException(RequestField.PRECISION, " must be auto, float32 or bfloat16, got '",
                    text, "'");
        };
    }

    private static String word(String text) {
        return text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    }
}

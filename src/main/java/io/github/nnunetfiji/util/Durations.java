package io.github.nnunetfiji.util;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them for an option ({@code --time-limit 1h30m}): the command line and Fiji read them alike. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)([hms])");

    private Durations() {
    }

    /**
     * "15m", "1h30m", "90s", "2.5h"; a bare number means minutes.
     *
     * @param option the option's name (without dashes), for the message
     * @throws IllegalArgumentException naming the option and the text, if the text is no positive duration
     */
    public static Duration parse(String option, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
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
            throw new IllegalArgumentException("--" + option + " must be a duration such as 15m, 1h30m or 90s, got '" + text + "'");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}

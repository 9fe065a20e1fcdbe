package io.github.nnunetfiji.normalization;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * The normalization schemes known to this run: the built-in ones (CT, z-score, none, rescale to
 * 0-1) and every {@link NormalizationScheme} registered through {@link ServiceLoader}.
 */
public final class NormalizationSchemes {

    private NormalizationSchemes() {
    }

    /** Built-in schemes first, then those found on the class path, in class-path order. */
    public static List<NormalizationScheme> all() {
        List<NormalizationScheme> out = new ArrayList<>(List.of(new CtNormalization(), new NoNormalization(),
                new RescaleTo01Normalization(), new ZScoreNormalization()));
        for (NormalizationScheme s : ServiceLoader.load(NormalizationScheme.class, NormalizationSchemes.class.getClassLoader())) {
            if (out.stream().noneMatch(o -> o.name().equals(s.name()))) {
                out.add(s);
            }
        }
        return out;
    }

    /** Names of all schemes. */
    public static List<String> names() {
        return all().stream().map(NormalizationScheme::name).toList();
    }

    /**
     * The scheme of a name stored in the plans.
     *
     * @throws IllegalArgumentException naming the known schemes if none has that name
     */
    public static NormalizationScheme byName(String name) {
        for (NormalizationScheme s : all()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown normalization scheme '" + name + "'; known: "
                + String.join(", ", names()) + " (a scheme from another jar must be on the class path)");
    }

    /** The scheme for a channel named so in {@code dataset.json}: the first that claims it, else z-score. */
    public static NormalizationScheme forChannel(String channelName) {
        String n = channelName == null ? "" : channelName.trim();
        for (NormalizationScheme s : all()) {
            if (s.claims(n)) {
                return s;
            }
        }
        return new ZScoreNormalization();
    }

    static boolean named(String channelName, String... names) {
        for (String s : names) {
            if (channelName.trim().toLowerCase(Locale.ROOT).equals(s.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}

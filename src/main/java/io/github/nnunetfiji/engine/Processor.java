package io.github.nnunetfiji.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The processor's model and the vector extensions that decide how fast a network computes: AVX2,
 * AVX-512, and native bfloat16 (AVX512-BF16 or AMX). Read from Linux's /proc/cpuinfo; elsewhere the
 * extensions are unknown. Made from given values in tests, so every branch of a choice that depends
 * on the processor can be tested on any machine.
 */
public final class Processor {

    /** The extensions reported next to speed figures, in /proc/cpuinfo's spelling. */
    public static final List<String> REPORTED_EXTENSIONS = List.of("avx2", "avx512f", "avx512_bf16", "amx_bf16");

    private static Processor current;

    private final String model;
    private final Set<String> flags;
    private final boolean flagsKnown;

    private Processor(String model, Collection<String> flags, boolean flagsKnown) {
        this.model = model;
        this.flags = Set.copyOf(new TreeSet<>(flags));
        this.flagsKnown = flagsKnown;
    }

    /** A processor with the given model name and extension flags (as /proc/cpuinfo spells them). */
    public static Processor of(String model, Collection<String> flags) {
        return new Processor(model, flags, true);
    }

    /** A processor whose extensions cannot be read. */
    public static Processor unknown(String model) {
        return new Processor(model, Set.of(), false);
    }

    /** This machine's processor, read once. */
    public static synchronized Processor current() {
        if (current == null) {
            current = read(Path.of("/proc/cpuinfo"));
        }
        return current;
    }

    static Processor read(Path cpuinfo) {
        String fallback = System.getProperty("os.arch", "unknown") + " processor";
        if (!Files.isReadable(cpuinfo)) {
            return unknown(fallback);
        }
        try {
            return fromCpuInfo(Files.readAllLines(cpuinfo), fallback);
        } catch (IOException | RuntimeException e) {
            return unknown(fallback);
        }
    }

    /** The first processor's model name and flags of a /proc/cpuinfo text. */
    static Processor fromCpuInfo(List<String> lines, String fallbackModel) {
        String model = null;
        List<String> flags = null;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (model == null && key.equals("model name")) {
                model = value;
            } else if (flags == null && (key.equals("flags") || key.equals("Features"))) {
                flags = List.of(value.split("\\s+"));
            }
        }
        String name = model == null || model.isEmpty() ? fallbackModel : model;
        return flags == null ? unknown(name) : of(name, flags);
    }

    public String model() {
        return model;
    }

    /** Whether the extensions were read; if not, {@link #has} is false for every flag. */
    public boolean extensionsKnown() {
        return flagsKnown;
    }

    public boolean has(String flag) {
        return flags.contains(flag.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether the processor computes bfloat16 natively (AVX512-BF16 or AMX): where it does not,
     * oneDNN emulates bfloat16 through float32 and mixed precision is slower than float32. Empty
     * where the extensions are unknown.
     */
    public Optional<Boolean> nativeBfloat16() {
        return flagsKnown ? Optional.of(has("avx512_bf16") || has("amx_bf16")) : Optional.empty();
    }

    /** E.g. "avx2 yes, avx512f no, avx512_bf16 no, amx_bf16 no", or "extensions unknown". */
    public String extensions() {
        if (!flagsKnown) {
            return "extensions unknown";
        }
        StringBuilder s = new StringBuilder();
        for (String f : REPORTED_EXTENSIONS) {
            s.append(s.length() == 0 ? "" : ", ").append(f).append(has(f) ? " yes" : " no");
        }
        return s.toString();
    }

    /** Model and extensions, for the line printed next to every speed figure. */
    @Override
    public String toString() {
        return model + " (" + extensions() + ")";
    }
}

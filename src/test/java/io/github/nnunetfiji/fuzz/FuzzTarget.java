package io.github.nnunetfiji.fuzz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A file kind under test: real seed files, the ways inputs are made from them, and the project's
 * entry point that reads such a file.
 *
 * @param kind       name in the table and in replays, e.g. {@code nifti-gz}
 * @param seeds      the real files mutated
 * @param strategies how an input is made from a seed (one is drawn per input)
 * @param entry      the entry point; returns normally for a result
 * @param memory     bytes the entry point may allocate per byte of input (on top of a fixed base), see
 *                   {@link InputRunner}
 */
record FuzzTarget(String kind, List<Seed> seeds, List<Strategy> strategies, EntryPoint entry, long memory) {

    /**
     * A real file to mutate.
     *
     * @param name  for messages (the seed file's name)
     * @param bytes its content
     * @param hot   offsets of its header fields, hit more often than the rest
     * @param place where an input made from it is written, given the input's seed
     */
    record Seed(String name, byte[] bytes, int[] hot, Placement place) {
    }

    /** Where an input file goes (its name matters: readers dispatch on the ending). */
    interface Placement {
        Path file(long inputSeed) throws IOException;
    }

    /** A way of making an input from a seed. */
    record Strategy(String name, Maker maker) {
    }

    interface Maker {
        byte[] make(Seed seed, Random r, List<String> steps) throws IOException;
    }

    /** The project's reader of this kind of file. */
    interface EntryPoint {
        Object read(Path file) throws Exception;
    }

    /** One mutated input, reproducible from its kind and seed. */
    record Input(String kind, long seed, String seedFile, String strategy, List<String> steps, byte[] bytes,
            Seed from) {

        String describe() {
            return kind + " seed " + seed + " (" + seedFile + ", " + strategy + ": " + String.join("; ", steps) + ")";
        }
    }

    /** The input of this seed: everything drawn from one {@link Random} seeded with it. */
    Input input(long inputSeed) throws IOException {
        Random r = new Random(inputSeed);
        Seed s = seeds.get(r.nextInt(seeds.size()));
        Strategy st = strategies.get(r.nextInt(strategies.size()));
        List<String> steps = new ArrayList<>();
        byte[] b = st.maker().make(s, r, steps);
        return new Input(kind, inputSeed, s.name(), st.name(), steps, b, s);
    }

    // ------------------------------------------------------------------ common strategies

    /** Byte mutations of the file as it is. */
    static Strategy bytes() {
        return new Strategy("bytes", (s, r, steps) -> ByteMutator.mutate(s.bytes().clone(), s.hot(), r, steps));
    }

    /** Interesting values of their type in the seed's header fields, nothing else. */
    static Strategy fields() {
        return new Strategy("header fields", (s, r, steps) -> ByteMutator.fields(s.bytes().clone(), s.hot(), r, steps));
    }

    /**
     * Byte mutations, or header fields set ({@code innerHot}), of the decompressed content,
     * compressed again.
     */
    static Strategy gzipInner(int[] innerHot) {
        return new Strategy("inside gzip", (s, r, steps) -> {
            byte[] raw = FileLayouts.gunzip(s.bytes());
            return FileLayouts.gzip(r.nextBoolean() ? ByteMutator.mutate(raw, innerHot, r, steps)
                    : ByteMutator.fields(raw, innerHot, r, steps));
        });
    }

    /** Token-level JSON mutations. */
    static Strategy json() {
        return new Strategy("json", (s, r, steps) -> JsonMutator.mutate(s.bytes(), r, steps));
    }
}

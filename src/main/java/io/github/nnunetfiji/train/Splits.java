package io.github.nnunetfiji.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.Json;

/**
 * The 5-fold cross-validation split, in the reference's {@code splits_final.json} format (a list of
 * {@code {"train": [...], "val": [...]}}), so a reference split is read as it is and ours can be
 * given to the reference. Written once per data set and reused by every later step.
 */
public final class Splits {

    /** One fold's cases. */
    public record FoldCases(List<String> train, List<String> val) {
        public FoldCases {
            train = List.copyOf(train);
            val = List.copyOf(val);
        }
    }

    private final List<FoldCases> folds;

    public Splits(List<FoldCases> folds) {
        this.folds = List.copyOf(folds);
    }

    public List<FoldCases> folds() {
        return folds;
    }

    /**
     * The folds a data set of {@code cases} cases is split into: 5, or one per case where there are
     * fewer (each then validates one case); 0 where a single case leaves only fold {@code all}.
     */
    public static int foldCount(int cases) {
        return cases < 2 ? 0 : Math.min(Fold.FOLDS, cases);
    }

    /**
     * A seeded split: the case ids sorted, shuffled with {@code seed}, cut into {@link #foldCount}
     * consecutive parts (the first {@code n % folds} one case larger), part K validating fold K.
     *
     * @throws IllegalArgumentException with a single case, which only fold {@code all} can train
     */
    public static Splits generate(Collection<String> caseIds, long seed) {
        List<String> ids = new ArrayList<>(new TreeSet<>(caseIds));
        int count = foldCount(ids.size());
        if (count == 0) {
            throw new IllegalArgumentException(ids.size() + " case(s) cannot be split for cross-validation; train fold"
                    + " 'all' or add cases");
        }
        Collections.shuffle(ids, new Random(seed));
        List<FoldCases> folds = new ArrayList<>();
        int start = 0;
        for (int k = 0; k < count; k++) {
            int size = ids.size() / count + (k < ids.size() % count ? 1 : 0);
            List<String> val = new ArrayList<>(ids.subList(start, start + size));
            List<String> train = new ArrayList<>(ids);
            train.removeAll(val);
            Collections.sort(val);
            Collections.sort(train);
            folds.add(new FoldCases(train, val));
            start += size;
        }
        return new Splits(folds);
    }

    /** Fold {@code all}: every case trains, and validation runs on the same cases. */
    public static FoldCases all(Collection<String> allCases) {
        List<String> all = new ArrayList<>(new TreeSet<>(allCases));
        return new FoldCases(all, all);
    }

    /** The cases of fold 0 .. 4. */
    public FoldCases cases(Fold fold) {
        if (fold.isAll()) {
            throw new IllegalArgumentException("Fold all is not part of a split");
        }
        if (fold.index() >= folds.size()) {
            throw new IllegalArgumentException("The split has " + folds.size() + " folds; fold " + fold + " is not among them");
        }
        return folds.get(fold.index());
    }

    /**
     * Checks that every named case exists and that no fold trains on a case it validates on.
     *
     * @param source the file, for the message
     */
    public void check(Set<String> existing, Path source) {
        Set<String> missing = new TreeSet<>();
        for (int k = 0; k < folds.size(); k++) {
            FoldCases f = folds.get(k);
            for (String id : f.train()) {
                if (!existing.contains(id)) {
                    missing.add(id);
                }
            }
            for (String id : f.val()) {
                if (!existing.contains(id)) {
                    missing.add(id);
                }
                if (f.train().contains(id)) {
                    throw new IllegalArgumentException(source + ": fold " + k + " both trains and validates on " + id
                            + "; a case belongs to one side only");
                }
            }
            if (f.train().isEmpty() || f.val().isEmpty()) {
                throw new IllegalArgumentException(source + ": fold " + k + " has no training or no validation cases");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(source + " names cases that are not in the preprocessed data: "
                    + String.join(", ", missing) + "; fix the split or preprocess those cases");
        }
    }

    /** Reads a split in the reference's format; a malformed file gives an error naming it. */
    public static Splits read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Split file not found: " + file);
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(Json.readText(file));
        } catch (RuntimeException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        String form = " is not a split: expected a list of {\"train\": [...], \"val\": [...]}";
        if (!root.isJsonArray() || root.getAsJsonArray().isEmpty()) {
            throw new IOException(file + form);
        }
        List<FoldCases> folds = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray()) {
            if (!e.isJsonObject() || !e.getAsJsonObject().has("train") || !e.getAsJsonObject().has("val")) {
                throw new IOException(file + form);
            }
            folds.add(new FoldCases(names(e.getAsJsonObject().get("train"), file), names(e.getAsJsonObject().get("val"), file)));
        }
        return new Splits(folds);
    }

    private static List<String> names(JsonElement e, Path file) throws IOException {
        if (!e.isJsonArray()) {
            throw new IOException(file + ": \"train\" and \"val\" must be lists of case names");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonElement n : e.getAsJsonArray()) {
            if (!n.isJsonPrimitive() || !n.getAsJsonPrimitive().isString()) {
                throw new IOException(file + ": \"train\" and \"val\" must be lists of case names");
            }
            names.add(n.getAsString());
        }
        return new ArrayList<>(names);
    }

    /** Writes the split atomically in the reference's format. */
    public void write(Path file) throws IOException {
        JsonArray a = new JsonArray();
        for (FoldCases f : folds) {
            JsonObject o = new JsonObject();
            JsonArray t = new JsonArray();
            f.train().forEach(t::add);
            JsonArray v = new JsonArray();
            f.val().forEach(v::add);
            o.add("train", t);
            o.add("val", v);
            a.add(o);
        }
        AtomicFiles.writeString(file, Json.gson().toJson(a) + "\n");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Splits s && s.folds.equals(folds);
    }

    @Override
    public int hashCode() {
        return folds.hashCode();
    }
}

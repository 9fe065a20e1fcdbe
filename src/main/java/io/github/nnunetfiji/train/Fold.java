package io.github.nnunetfiji.train;

/**
 * One fold of the 5-fold cross-validation (0 .. 4), or {@code all}: every case trains, and
 * validation runs on the training cases themselves, as in the reference.
 */
public record Fold(int index) {

    /** Folds of the cross-validation. */
    public static final int FOLDS = 5;
    private static final int ALL = -1;

    public Fold {
        if (index != ALL && (index < 0 || index >= FOLDS)) {
            throw new IllegalArgumentException("Fold " + index + " does not exist: use 0 .. " + (FOLDS - 1) + " or all");
        }
    }

    public static Fold all() {
        return new Fold(ALL);
    }

    /** "0" .. "4" or "all". */
    public static Fold parse(String s) {
        String t = s.trim();
        if (t.equalsIgnoreCase("all")) {
            return all();
        }
        int index;
        try {
            index = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            index = ALL; // refused below
        }
        // -1 is the internal index of "all", never a fold a user names.
        if (index < 0) {
            throw new IllegalArgumentException("Fold '" + s + "' is not 0 .. " + (FOLDS - 1) + " or all");
        }
        return new Fold(index);
    }

    public boolean isAll() {
        return index == ALL;
    }

    /** The fold's folder name: {@code fold_K} or {@code fold_all}. */
    public String folderName() {
        return "fold_" + this;
    }

    @Override
    public String toString() {
        return isAll() ? "all" : Integer.toString(index);
    }
}

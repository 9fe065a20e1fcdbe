package io.github.nnunetfiji.dataset;

import java.nio.file.Path;

/**
 * One thing wrong with a data set: which file, what is wrong, and how to fix it.
 *
 * @param kind   what sort of problem (lets tests and tools tell problems apart)
 * @param file   the file or folder concerned
 * @param message what is wrong
 * @param fix    what the user should do
 */
public record Problem(Kind kind, Path file, String message, String fix) {

    /** The sorts of problems validation reports. */
    public enum Kind {
        MISSING_DATASET_JSON,
        BAD_DATASET_JSON,
        EMPTY_DATASET,
        PATH_ESCAPES_DATASET,
        MISSING_FILE,
        EXTRA_FILE,
        DUPLICATE_CASE,
        UNREADABLE_FILE,
        CHANNEL_COUNT,
        SHAPE_MISMATCH,
        SPACING_MISMATCH,
        ORIENTATION_MISMATCH,
        UNDECLARED_LABEL,
        BAD_LABEL_VALUES,
        NON_FINITE_INTENSITY,
        NO_FOREGROUND
    }

    @Override
    public String toString() {
        return file + ": " + message + "\n    fix: " + fix;
    }
}

package io.github.nnunetfiji.dataset;

import java.nio.file.Path;

/**
 * One thing wrong with a data set: which file, what is wrong, and how to fix it. The same record
 * carries warnings (kinds {@link Kind#isWarning()}): things worth saying that do not stop the data
 * set from being used.
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
        /** A declared label value above what the preprocessed cases can store. */
        LABEL_OUT_OF_RANGE,
        NON_FINITE_INTENSITY,
        /** No case has a foreground voxel. */
        NO_FOREGROUND,
        /** Warning: a case with one slice in a data set whose other cases are volumes. */
        SINGLE_SLICE_CASE,
        /** Warning: a file in a data set folder that is not read (not an image, hidden, a folder). */
        IGNORED_FILE;

        /** True for kinds that are reported but do not make the data set invalid. */
        public boolean isWarning() {
            return this == SINGLE_SLICE_CASE || this == IGNORED_FILE;
        }
    }

    @Override
    public String toString() {
        return file + ": " + message + "\n    fix: " + fix;
    }
}

package io.github.nnunetfiji.io.nifti;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a NIfTI-1 image this project can read: wrong format, unsupported content,
 * corrupt header or truncated data. The message always names the file, says what is wrong and
 * what to do about it.
 */
public class NiftiFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    /**
     * @param file the offending file
     * @param problem what is wrong, as a sentence
     * @param remedy what the user can do about it, as a sentence
     */
    public NiftiFormatException(Path file, String problem, String remedy) {
        this(file, problem, remedy, null);
    }

    public NiftiFormatException(Path file, String problem, String remedy, Throwable cause) {
        super(file + ": " + problem + (remedy == null || remedy.isEmpty() ? "" : " " + remedy), cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }

    /** What is wrong with the file (the message without file name and remedy). */
    public String problem() {
        return problem;
    }
}

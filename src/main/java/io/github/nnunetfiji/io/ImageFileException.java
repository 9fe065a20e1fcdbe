package io.github.nnunetfiji.io;

import java.io.IOException;
import java.nio.file.Path;

/** An image file that cannot be read or written; the message names the file, the problem and the fix. */
public class ImageFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ImageFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ImageFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file concerned. */
    public Path file() {
        return file;
    }
}

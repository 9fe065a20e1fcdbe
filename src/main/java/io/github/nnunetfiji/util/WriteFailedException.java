package io.github.nnunetfiji.util;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writing a result failed in the file system (a full disk, a file size limit, no permission to
 * write the work folder): an I/O error of the output, never a problem of the input. The message
 * names the file, which the system's own message ("No space left on device") does not.
 */
public class WriteFailedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public WriteFailedException(Path file, IOException cause) {
        super("cannot write " + file + ": " + (cause.getMessage() != null ? cause.getMessage() : cause.toString())
                + " (check the free space and permissions of " + file.getParent() + ")", cause);
        this.file = file;
    }

    /** The file that could not be written. */
    public Path file() {
        return file;
    }

    /** {@code e} itself if it already names its file this way, else a wrapper naming {@code file}. */
    static WriteFailedException of(Path file, IOException e) {
        return e instanceof WriteFailedException w ? w : new WriteFailedException(file, e);
    }
}

package io.github.nnunetfiji.io.torch;

/** A pickle stream that cannot be read, or that asks for something refused; the caller names the file. */
final class PickleException extends Exception {

    private static final long serialVersionUID = 1L;

    PickleException(String message) {
        super(message);
    }
}

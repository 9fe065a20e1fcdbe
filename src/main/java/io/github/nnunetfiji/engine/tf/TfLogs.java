package io.github.nnunetfiji.engine.tf;

import java.util.Map;
import java.util.Properties;

/**
 * Keeps TensorFlow's native log lines ("I ... oneDNN custom operations are on", "oneDNN supports
 * DT_INT32 only on platforms with AVX-512", CUDA probing on machines without a GPU) off the console:
 * they say nothing a user can act on, and errors reach the engine's callers as exceptions anyway.
 * TensorFlow reads {@value #VARIABLE} once, while its library loads, so it is set (with
 * {@link OneDnnSwitch}'s setenv) before then. For debugging, the Java property {@value #PROPERTY}
 * sets TensorFlow's level instead: 0 all, 1 warnings and errors, 2 errors, 3 none (the default). A
 * value the user set in the environment is kept. Two lines remain, once per JVM, on the first
 * graph run: "WARNING: All log messages before absl::InitializeLog() is called are written to
 * STDERR" and "I0000 ... MLIR V1 optimization pass is not enabled". TensorFlow writes them through
 * the Abseil copy linked inside libtensorflow_cc, which ignores the variable and exports no function
 * to set its level.
 */
final class TfLogs {

    static final String VARIABLE = "TF_CPP_MIN_LOG_LEVEL";
    /** The Java property that chooses TensorFlow's log level, 0 to 3. */
    static final String PROPERTY = "nnunet.engine.tfLogLevel";
    static final String QUIET = "3";

    private TfLogs() {
    }

    /** Sets {@value #VARIABLE} unless the user did; returns how it got its value. */
    static String decide(Map<String, String> environment, Properties props, OneDnnSwitch.Setter setter) {
        String user = environment.get(VARIABLE);
        if (user != null) {
            return VARIABLE + "=" + user + " set by the user";
        }
        String level = props.getProperty(PROPERTY, QUIET).trim();
        if (!level.matches("[0-3]")) {
            throw new IllegalArgumentException("Java property " + PROPERTY + "=" + level
                    + ": give TensorFlow's log level, 0 (all) to 3 (none)");
        }
        String failure = setter.set(VARIABLE, level);
        return failure == null ? VARIABLE + "=" + level + " set by the engine"
                : "could not set " + VARIABLE + " (" + failure + ")";
    }
}

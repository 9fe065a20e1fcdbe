package io.github.nnunetfiji.engine.tf;

import java.util.Map;
import java.util.Optional;

import org.bytedeco.javacpp.Loader;
import org.tensorflow.TensorFlow;

/**
 * Turns TensorFlow's oneDNN kernels on before TensorFlow's native library loads (and sets its log
 * level then, {@link TfLogs}).
 *
 * <p>TensorFlow decides once, while its library initializes, from the environment variable
 * {@value #VARIABLE}; unset, it uses oneDNN only on processors with AVX512-VNNI, AVX512-BF16 or AMX,
 * and an AVX2 processor runs Eigen's kernels, about half as fast. Fiji users cannot set the JVM's
 * environment, and Java cannot either, so the C library's {@code setenv} is called through JNA, or
 * where JNA is missing through jnr-posix (which Fiji ships with JRuby), found by reflection so that
 * neither is needed to build or run. TensorFlow Java's own JavaCPP bindings cannot do it: their native code loads
 * only together with TensorFlow's library, when the decision has already been made. A value the user
 * set is kept.
 */
final class OneDnnSwitch {

    static final String VARIABLE = "TF_ENABLE_ONEDNN_OPTS";
    /** TensorFlow's own answer, {@code bool tensorflow::IsMklEnabled()} (Itanium C++ name). */
    private static final String IS_ENABLED_SYMBOL = "_ZN10tensorflow12IsMklEnabledEv";

    /** Sets an environment variable of the process; returns null on success, else why not. */
    interface Setter {
        String set(String name, String value);
    }

    private static String how;
    private static boolean tooLate;

    private OneDnnSwitch() {
    }

    /**
     * Sets {@value #VARIABLE} to 1 unless the user set it. Must run before the first TensorFlow class
     * loads its library; later calls do nothing.
     */
    static synchronized void turnOn() {
        if (how == null) {
            NativeSettings.apply();
            tooLate = tensorFlowLoaded();
            // Read by TensorFlow at the same moment as the switch: its log level (quiet unless asked).
            TfLogs.decide(System.getenv(), System.getProperties(), OneDnnSwitch::setNative);
            how = decide(System.getenv(), OneDnnSwitch::setNative);
        }
    }

    /** How the variable got its value, as said in {@link #state}. */
    static String decide(Map<String, String> environment, Setter setter) {
        String user = environment.get(VARIABLE);
        if (user != null) {
            return VARIABLE + "=" + user + " set by the user";
        }
        String failure = setter.set(VARIABLE, "1");
        return failure == null ? VARIABLE + "=1 set by the engine"
                : "could not set " + VARIABLE + " (" + failure + "); set it to 1 in the environment";
    }

    /**
     * "oneDNN on (TF_ENABLE_ONEDNN_OPTS=1 set by the engine)", "oneDNN off (...)" or "oneDNN unknown
     * (...)": TensorFlow's own decision once its library is loaded, and where the setting came from.
     */
    static synchronized String state() {
        turnOn();
        TensorFlow.version(); // loads the library, which decides
        Optional<Boolean> on = enabled();
        String word = on.isEmpty() ? "unknown" : on.get() ? "on" : "off";
        String why = how;
        if (on.isPresent() && !on.get() && how.endsWith("set by the engine")) {
            why = tooLate ? "TensorFlow's library was loaded before the engine could set " + VARIABLE
                    : "this TensorFlow build or processor has no oneDNN kernels";
        }
        return "oneDNN " + word + " (" + why + ")";
    }

    private static boolean tensorFlowLoaded() {
        return Loader.getLoadedLibraries().values().stream().anyMatch(p -> p.contains("tensorflow_framework"));
    }

    /**
     * TensorFlow's decision, from its library; where that cannot be asked (JNA missing), from the
     * kernel it runs for a probe convolution ({@link KernelProbe}); empty where neither answers.
     */
    static Optional<Boolean> enabled() {
        try {
            for (String path : Loader.getLoadedLibraries().values()) {
                if (path.contains("tensorflow_framework")) {
                    return Optional.of(Native.call(path, IS_ENABLED_SYMBOL));
                }
            }
            return Optional.empty();
        } catch (NoClassDefFoundError e) {
            return probe();
        } catch (LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Boolean> probe() {
        try {
            return Optional.of(KernelProbe.runsOneDnn());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String setNative(String name, String value) {
        try {
            return Native.setenv(name, value);
        } catch (NoClassDefFoundError e) {
            String jnr = setWithJnrPosix(name, value);
            return jnr == null ? null : "JNA is not on the class path, and " + jnr;
        } catch (LinkageError | RuntimeException e) {
            return e.toString();
        }
    }

    /** The C library's {@code setenv} through jnr-posix; null on success, else why not. */
    static String setWithJnrPosix(String name, String value) {
        try {
            Object posix = Class.forName("jnr.posix.POSIXFactory").getMethod("getNativePOSIX").invoke(null);
            Object rc = posix.getClass().getMethod("setenv", String.class, String.class, int.class)
                    .invoke(posix, name, value, 0);
            return Integer.valueOf(0).equals(rc) ? null : "jnr-posix's setenv returned " + rc;
        } catch (ClassNotFoundException | LinkageError e) {
            return "jnr-posix is not on the class path either";
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "jnr-posix failed: " + cause;
        }
    }

    /** The JNA calls, apart so that the switch loads (and reports) where JNA is missing. */
    private static final class Native {

        static String setenv(String name, String value) {
            int rc;
            if (com.sun.jna.Platform.isWindows()) {
                // The universal C runtime's copy of the environment is the one TensorFlow's getenv reads.
                rc = com.sun.jna.NativeLibrary.getInstance("ucrtbase").getFunction("_putenv_s")
                        .invokeInt(new Object[] {name, value});
            } else {
                rc = com.sun.jna.NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME).getFunction("setenv")
                        .invokeInt(new Object[] {name, value, 0});
            }
            return rc == 0 ? null : "setenv returned " + rc;
        }

        /** Calls {@code bool f()}; only the low byte of the return register holds a C++ bool. */
        static boolean call(String library, String symbol) {
            return (com.sun.jna.NativeLibrary.getInstance(library).getFunction(symbol).invokeInt(new Object[0]) & 0xff) != 0;
        }
    }
}

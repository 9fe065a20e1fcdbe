package io.github.nnunetfiji.engine.tf;

/**
 * JavaCPP settings that must be in place before its classes load. Its default cap on native memory
 * (a multiple of the Java heap) kills real trainings, whose tensors live outside the heap; the cap
 * is lifted unless the user set one.
 */
final class NativeSettings {

    private NativeSettings() {
    }

    static void apply() {
        setIfAbsent("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        setIfAbsent("org.bytedeco.javacpp.maxBytes", "0");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

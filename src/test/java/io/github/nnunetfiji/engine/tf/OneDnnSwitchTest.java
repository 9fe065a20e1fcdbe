package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * oneDNN is on whoever starts the JVM, unless the user said otherwise. The proof runs in fresh JVMs
 * started without {@value OneDnnSwitch#VARIABLE} (as Fiji and a shell start one): TensorFlow's own
 * startup report says oneDNN is on, its decision read back from its library says so, and it runs a
 * 3D convolution on oneDNN's kernel. On an AVX2 processor, TensorFlow's default would be off.
 */
class OneDnnSwitchTest {

    @Test
    void keepsTheUsersValue() {
        List<String> calls = new ArrayList<>();
        String how = OneDnnSwitch.decide(Map.of(OneDnnSwitch.VARIABLE, "0"), (n, v) -> {
            calls.add(n);
            return null;
        });
        assertEquals("TF_ENABLE_ONEDNN_OPTS=0 set by the user", how);
        assertTrue(calls.isEmpty(), "setenv called although the user set the variable");
    }

    @Test
    void setsTheVariableWhenUnset() {
        List<String> calls = new ArrayList<>();
        String how = OneDnnSwitch.decide(Map.of("PATH", "/bin"), (n, v) -> {
            calls.add(n + "=" + v);
            return null;
        });
        assertEquals("TF_ENABLE_ONEDNN_OPTS=1 set by the engine", how);
        assertEquals(List.of("TF_ENABLE_ONEDNN_OPTS=1"), calls);
    }

    @Test
    void aFailedSetenvSaysWhatToDo() {
        String how = OneDnnSwitch.decide(Map.of(), (n, v) -> "JNA is not on the class path");
        assertEquals("could not set TF_ENABLE_ONEDNN_OPTS (JNA is not on the class path); set it to 1 in the"
                + " environment", how);
    }

    @Test
    void thisJvmRunsOneDnn() {
        assertTrue(OneDnnSwitch.state().startsWith("oneDNN on"), OneDnnSwitch.state());
    }

    private static String runChild(Map<String, String> environment) throws Exception {
        return runChild(environment, System.getProperty("java.class.path"));
    }

    private static String runChild(Map<String, String> environment, String classPath) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, OneDnnMain.class.getName()).redirectErrorStream(true);
        pb.environment().remove(OneDnnSwitch.VARIABLE);
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "0");
        pb.environment().putAll(environment);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "child JVM timed out");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(out));
    }

    @Test
    void aFreshJvmWithoutTheVariableRunsOneDnn() throws Exception {
        String out = runChild(Map.of());
        assertTrue(out.contains("oneDNN custom operations are on"), out);
        assertEquals("KERNELS oneDNN on (TF_ENABLE_ONEDNN_OPTS=1 set by the engine)", line(out, "KERNELS"));
        assertTrue(line(out, "CONV3D").contains("_Mkl"), line(out, "CONV3D"));
    }

    /**
     * A Fiji without JNA (an ImageJ2 assembled from its core parts, say) but with jnr-posix, which
     * Fiji ships with JRuby: the engine still sets the variable, and reads the decision back from
     * the kernel TensorFlow runs.
     */
    @Test
    void withoutJnaJnrPosixSetsIt() throws Exception {
        String withoutJna = java.util.Arrays.stream(System.getProperty("java.class.path").split(
                java.io.File.pathSeparator)).filter(e -> !Path.of(e).getFileName().toString().matches("jna-[0-9].*"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        assertFalse(withoutJna.equals(System.getProperty("java.class.path")), "JNA is on the test class path");
        String out = runChild(Map.of(), withoutJna);
        assertTrue(out.contains("oneDNN custom operations are on"), out);
        assertEquals("KERNELS oneDNN on (TF_ENABLE_ONEDNN_OPTS=1 set by the engine)", line(out, "KERNELS"));
        assertTrue(line(out, "CONV3D").contains("_Mkl"), line(out, "CONV3D"));
    }

    @Test
    void jnrPosixSetsAVariable() {
        assertEquals(null, OneDnnSwitch.setWithJnrPosix("NNUNET_ONEDNN_PROBE", "1"), "jnr-posix is on the test class path");
    }

    @Test
    void theUserCanTurnItOff() throws Exception {
        String out = runChild(Map.of(OneDnnSwitch.VARIABLE, "0"));
        assertFalse(out.contains("oneDNN custom operations are on"), out);
        assertEquals("KERNELS oneDNN off (TF_ENABLE_ONEDNN_OPTS=0 set by the user)", line(out, "KERNELS"));
        String conv = line(out, "CONV3D");
        assertTrue(conv.contains("Conv3D") && !conv.contains("_Mkl"), conv);
    }
}

package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * TensorFlow's own I/W/E lines (oneDNN notes, CPU feature notes, CUDA probing) stay off the console
 * unless asked for: with the property {@value TfLogs#PROPERTY} or the user's own
 * {@value TfLogs#VARIABLE}. Proven in fresh JVMs started without the variable, as Fiji starts one.
 */
class TfLogsTest {

    @Test
    void quietByDefault() {
        List<String> calls = new ArrayList<>();
        String how = TfLogs.decide(Map.of(), new Properties(), (n, v) -> {
            calls.add(n + "=" + v);
            return null;
        });
        assertEquals(List.of("TF_CPP_MIN_LOG_LEVEL=3"), calls);
        assertEquals("TF_CPP_MIN_LOG_LEVEL=3 set by the engine", how);
    }

    @Test
    void thePropertyBringsThemBack() {
        List<String> calls = new ArrayList<>();
        Properties props = new Properties();
        props.setProperty(TfLogs.PROPERTY, "0");
        TfLogs.decide(Map.of(), props, (n, v) -> {
            calls.add(n + "=" + v);
            return null;
        });
        assertEquals(List.of("TF_CPP_MIN_LOG_LEVEL=0"), calls);
    }

    @Test
    void theUsersVariableWins() {
        Properties props = new Properties();
        props.setProperty(TfLogs.PROPERTY, "0");
        String how = TfLogs.decide(Map.of(TfLogs.VARIABLE, "1"), props, (n, v) -> {
            throw new AssertionError("setenv called although the user set the variable");
        });
        assertEquals("TF_CPP_MIN_LOG_LEVEL=1 set by the user", how);
    }

    @Test
    void aWrongPropertySaysWhatIsAllowed() {
        Properties props = new Properties();
        props.setProperty(TfLogs.PROPERTY, "all");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TfLogs.decide(Map.of(), props, (n, v) -> null));
        assertTrue(e.getMessage().contains("0 (all) to 3"), e.getMessage());
    }

    private static String runChild(String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), OneDnnMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(TfLogs.VARIABLE);
        pb.environment().remove(OneDnnSwitch.VARIABLE);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "child JVM timed out");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void aFreshJvmPrintsNoTensorFlowLinesAndThePropertyBringsThemBack() throws Exception {
        String quiet = runChild();
        assertTrue(quiet.contains("KERNELS oneDNN on"), quiet);
        assertFalse(quiet.contains("oneDNN custom operations are on"), quiet);
        // TensorFlow's own log lines: "2025-01-01 10:00:00.000000: I tensorflow/core/...".
        assertFalse(quiet.lines().anyMatch(TfLogsTest::tensorFlowLine), quiet);

        String loud = runChild("-D" + TfLogs.PROPERTY + "=0");
        assertTrue(loud.contains("oneDNN custom operations are on"), loud);
        assertTrue(loud.lines().anyMatch(TfLogsTest::tensorFlowLine), loud);
    }

    private static boolean tensorFlowLine(String line) {
        return line.matches("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: [IWEF] .*");
    }
}

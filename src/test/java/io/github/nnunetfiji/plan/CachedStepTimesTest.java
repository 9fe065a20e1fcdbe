package io.github.nnunetfiji.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.engine.NetworkSpec;

/** step_times.json: reused when machine, network, patch and batch match; measured again otherwise. */
class CachedStepTimesTest {

    @TempDir
    Path dir;

    private static final NetworkSpec NET = NetworkSpec.uniform(2, 1, 2, 4, 8, 64);
    private static final int[] PATCH = {64, 64};

    private static FakeStepTimes fake(String machine, double seconds) {
        return new FakeStepTimes(machine, Map.of("64x64", seconds, "32x32", seconds / 4));
    }

    private double ask(String machine, double seconds, NetworkSpec net, int[] patch, int batch, int expectMeasured)
            throws IOException {
        try (CachedStepTimes c = new CachedStepTimes(dir.resolve(CachedStepTimes.FILE), fake(machine, seconds))) {
            double s = c.secondsPerStep(net, patch, batch);
            assertEquals(expectMeasured, c.measured());
            return s;
        }
    }

    @Test
    void aMatchingKeyIsReusedAndAnyDifferenceMeasuredAgain() throws IOException {
        assertEquals(2.0, ask("cpu A", 2.0, NET, PATCH, 2, 1));
        // Same machine, network, patch and batch: the file answers (the new measurement would say 5).
        assertEquals(2.0, ask("cpu A", 5.0, NET, PATCH, 2, 0));
        // Another machine (processor or engine device, precision, threads): measured.
        assertEquals(5.0, ask("cpu B", 5.0, NET, PATCH, 2, 1));
        // Another network, patch or batch: measured.
        assertEquals(5.0, ask("cpu A", 5.0, NetworkSpec.uniform(2, 1, 2, 4, 16, 64), PATCH, 2, 1));
        assertEquals(1.25, ask("cpu A", 5.0, NET, new int[] {32, 32}, 2, 1));
        assertEquals(5.0, ask("cpu A", 5.0, NET, PATCH, 4, 1));
        // Everything measured is kept: the first answers still hold.
        assertEquals(2.0, ask("cpu A", 9.0, NET, PATCH, 2, 0));
        assertEquals(5.0, ask("cpu B", 9.0, NET, PATCH, 2, 0));
    }

    @Test
    void anUnreadableFileIsMeasuredOver() throws IOException {
        Files.writeString(dir.resolve(CachedStepTimes.FILE), "{ not json");
        assertEquals(3.0, ask("cpu A", 3.0, NET, PATCH, 2, 1));
        assertEquals(3.0, ask("cpu A", 7.0, NET, PATCH, 2, 0));
    }

    @Test
    void forwardPassesAreKeptApartFromSteps() throws IOException {
        assertEquals(2.0, ask("cpu A", 2.0, NET, PATCH, 1, 1));
        try (CachedStepTimes c = new CachedStepTimes(dir.resolve(CachedStepTimes.FILE), fake("cpu A", 6.0))) {
            // A one-patch step is in the file, a forward pass is not: measured (the fake: a third of a step).
            assertEquals(2.0, c.secondsPerForward(NET, PATCH));
            assertEquals(1, c.measured());
        }
        try (CachedStepTimes c = new CachedStepTimes(dir.resolve(CachedStepTimes.FILE), fake("cpu A", 9.0))) {
            assertEquals(2.0, c.secondsPerForward(NET, PATCH));
            assertEquals(2.0, c.secondsPerStep(NET, PATCH, 1));
            assertEquals(0, c.measured());
        }
    }
}

package io.github.nnunetfiji.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.nnunetfiji.fingerprint.DatasetFingerprint;

/**
 * Plans files as earlier versions wrote them: planning writes them byte for byte, and reading one
 * writes it back unchanged (the names, order and absent nulls of every configuration field).
 */
class PlansGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"liver-paper", "liver-v2", "prostate-paper", "hippocampus-v2"})
    void planningAndReadingWriteTheFilesOfEarlierVersions(String name, @TempDir Path dir) throws IOException {
        String[] parts = name.split("-");
        DatasetFingerprint fp = switch (parts[0]) {
            case "liver" -> ExperimentPlannerTest.liver();
            case "prostate" -> ExperimentPlannerTest.prostate();
            default -> ExperimentPlannerTest.hippocampus();
        };
        ExperimentPlanner planner = parts[1].equals("v2") ? new ExperimentPlannerV2() : new ExperimentPlanner();
        String expected;
        try (InputStream in = PlansGoldenTest.class.getResourceAsStream("plans-" + name + ".json")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path planned = dir.resolve("planned.json");
        planner.plan(fp).write(planned);
        assertEquals(expected, Files.readString(planned));
        Path golden = dir.resolve("golden.json");
        Files.writeString(golden, expected);
        Path reread = dir.resolve("reread.json");
        Plans.read(golden).write(reread);
        assertEquals(expected, Files.readString(reread));
    }
}

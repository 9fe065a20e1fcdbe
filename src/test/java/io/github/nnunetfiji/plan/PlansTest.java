package io.github.nnunetfiji.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.cli.CliWording;

class PlansTest {

    @Test
    void roundTripsThroughJson(@TempDir Path dir) throws IOException {
        Plans plans = new ExperimentPlanner().plan(ExperimentPlannerTest.liver());
        Path file = dir.resolve("plans.json");
        plans.write(file);
        String json = Files.readString(file);
        assertTrue(json.contains("\"format\": 1"), json.substring(0, 200));
        Plans back = Plans.read(file);
        assertEquals(plans.configurations().keySet(), back.configurations().keySet());
        for (PlanConfiguration c : plans.configurations().values()) {
            PlanConfiguration b = back.configuration(c.name());
            assertArrayEquals(c.patchSize(), b.patchSize());
            assertArrayEquals(c.spacing(), b.spacing());
            assertArrayEquals(c.kernelSizes(), b.kernelSizes());
            assertEquals(c.batchSize(), b.batchSize());
            assertEquals(c.batchDice(), b.batchDice());
            assertEquals(c.nextStage(), b.nextStage());
            assertEquals(c.normalization().get(0).scheme(), b.normalization().get(0).scheme());
        }
        assertEquals(plans.labels(), back.labels());
        assertEquals(PlansSummary.format(plans), PlansSummary.format(back));
    }

    @Test
    void otherFormatVersionIsRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("plans.json");
        Files.writeString(file, "{\"format\": 7, \"configurations\": {}}");
        IOException e = assertThrows(IOException.class, () -> Plans.read(file));
        assertTrue(e.getMessage().contains("run the plan stage again"), e.getMessage());
        String cli = CliWording.of("preprocess").describe(e);
        assertTrue(cli.contains("run 'nnunet plan DATASET' again"), cli);
    }

    @Test
    void unknownConfigurationNamesThePlannedOnes() {
        Plans plans = new ExperimentPlanner().plan(ExperimentPlannerTest.hippocampus());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plans.configuration("3d_lowres"));
        assertTrue(e.getMessage().contains("planned: 2d, 3d_fullres"), e.getMessage());
    }

    @Test
    void summaryTableHasAColumnPerConfigurationAndTheNotes() {
        String table = PlansSummary.format(new ExperimentPlanner().plan(ExperimentPlannerTest.prostate()));
        String[] lines = table.split("\n");
        assertTrue(lines[1].contains("| 2d") && lines[1].contains("| 3d_fullres"), lines[1]);
        assertTrue(table.matches("(?s).*\npatch +\\| 320x320x1 .*"), table);
        assertTrue(table.contains("288x288x22"), table);
        assertTrue(table.contains("3x3x1 (2), 3x3x3 (4)"), table);
        assertTrue(table.contains("2D, slices across z"), table);
        assertTrue(table.contains("Notes:\n  - Anisotropy rule: z"), table);
    }

    @Test
    void summaryTableSaysHowToReadItsAxesAndWhichMedianShapeItShows() {
        String table = PlansSummary.format(new ExperimentPlanner().plan(ExperimentPlannerTest.prostate()));
        String first = table.split("\n")[0];
        assertFalse(first.contains("x x y x z"), first);
        assertTrue(first.contains("XxYxZ"), first);
        // The median shape is of the cropped, resampled cases, which is not what validate shows: say so.
        assertTrue(table.contains("\nmedian shape (cropped) |"), table);
        assertTrue(table.contains("cropped to their nonzero region and resampled to the configuration's spacing"),
                table);
        assertTrue(table.contains("'validate' reports the median of the stored images"), table);
    }
}

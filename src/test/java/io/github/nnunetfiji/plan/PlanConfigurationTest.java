package io.github.nnunetfiji.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.util.Json;

/** A planned configuration cannot be changed by the stages that read it. */
class PlanConfigurationTest {

    @Test
    void noPublicMutatorsAndNoPublicFields() {
        for (Method m : PlanConfiguration.class.getMethods()) {
            if (m.getDeclaringClass() == PlanConfiguration.class) {
                assertFalse(m.getName().startsWith("set"), m.toString());
            }
        }
        assertEquals(0, java.util.Arrays.stream(PlanConfiguration.class.getFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers())).count());
        for (Method m : Plans.class.getDeclaredMethods()) {
            if (m.getName().equals("put") || m.getName().equals("addNote")) {
                assertFalse(Modifier.isPublic(m.getModifiers()), m.toString());
            }
        }
    }

    @Test
    void arraysAndListsAreCopiedOnTheWayInAndOut() {
        long[] patch = {32, 32, 16};
        List<ChannelNormalization> norm = new java.util.ArrayList<>(
                List.of(new ChannelNormalization(0, "a", ChannelNormalization.ZSCORE, false)));
        PlanConfiguration.Builder b = PlanConfiguration.builder("3d_fullres").patchSize(patch)
                .normalization(norm).topology(new NetworkTopology(new int[] {1, 1, 0},
                        new int[][] {{1, 1, 1}, {2, 2, 1}}, new int[][] {{3, 3, 1}, {3, 3, 3}}));
        PlanConfiguration c = b.build();
        patch[0] = 999;
        norm.clear();
        c.patchSize()[1] = 999;
        c.strides()[1][0] = 999;
        assertArrayEquals(new long[] {32, 32, 16}, c.patchSize());
        assertEquals(1, c.normalization().size());
        assertEquals(2, c.strides()[1][0]);
        assertThrows(UnsupportedOperationException.class, () -> c.normalization().clear());
        // The builder goes on; what it built stays.
        b.patchSize(new long[] {64, 64, 32}).batchSize(7);
        assertArrayEquals(new long[] {32, 32, 16}, c.patchSize());
        assertEquals(0, c.batchSize());
        PlanConfiguration renamed = c.toBuilder(PlanConfiguration.CONFIG_3D_CASCADE_FULLRES)
                .previousStage(PlanConfiguration.CONFIG_3D_LOWRES).build();
        assertEquals(PlanConfiguration.CONFIG_3D_CASCADE_FULLRES, renamed.name());
        assertArrayEquals(c.patchSize(), renamed.patchSize());
        assertEquals(null, c.previousStage());
    }

    @Test
    void aConfigurationWithoutSomeFieldsReadsZeroNullOrNoNormalization() {
        PlanConfiguration c = Json.gson().fromJson("{\"name\": \"2d\", \"dimensions\": 2, \"spacing\": [1, 1, 1]}",
                PlanConfiguration.class);
        assertEquals(List.of(), c.normalization());
        assertEquals(null, c.sliceAxis());
        assertEquals(0, c.batchSize());
        assertEquals(c, c.toBuilder().build(), "equal by content");
        assertTrue(Json.toJson(c).startsWith("{\n  \"name\": \"2d\",\n  \"dimensions\": 2,"), "nulls left out");
    }

    @Test
    void plansHandOutReadOnlyViewsAndChangedCopies() {
        Plans plans = new ExperimentPlanner().plan(ExperimentPlannerTest.liver());
        assertThrows(UnsupportedOperationException.class, () -> plans.configurations().clear());
        assertThrows(UnsupportedOperationException.class, () -> plans.notes().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> plans.channelNames().add("x"));
        PlanConfiguration full = plans.configuration(PlanConfiguration.CONFIG_3D_FULLRES);
        Plans changed = plans.withConfiguration(full.toBuilder().numEpochs(5).build());
        assertEquals(5, changed.configuration(PlanConfiguration.CONFIG_3D_FULLRES).numEpochs());
        assertEquals(1000, plans.configuration(PlanConfiguration.CONFIG_3D_FULLRES).numEpochs());
        assertEquals(List.copyOf(plans.configurations().keySet()), List.copyOf(changed.configurations().keySet()),
                "a replaced configuration keeps its place");
    }

    @Test
    void plansReadBackAreWrittenByteForByteTheSame(@TempDir Path dir) throws IOException {
        assertTrue(new ExperimentPlanner().plan(ExperimentPlannerTest.liver()).has(
                PlanConfiguration.CONFIG_3D_CASCADE_FULLRES), "the liver plans hold the cascade");
        for (ExperimentPlanner planner : List.of(new ExperimentPlanner(), new ExperimentPlannerV2())) {
            Plans plans = planner.plan(ExperimentPlannerTest.liver());
            Path a = dir.resolve(planner.name() + "_a.json");
            Path b = dir.resolve(planner.name() + "_b.json");
            plans.write(a);
            Plans.read(a).write(b);
            assertEquals(Files.readString(a), Files.readString(b));
        }
    }
}

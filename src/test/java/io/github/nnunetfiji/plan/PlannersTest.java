package io.github.nnunetfiji.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PlannersTest {

    @Test
    void selectsByName() {
        assertEquals(List.of("paper", "v2"), Planners.builtInNames());
        assertEquals(List.of("paper", "v2"), Planners.names().subList(0, 2));
        assertEquals("paper", Planners.create(null).name());
        assertEquals("paper", Planners.create("Paper").name());
        assertInstanceOf(ExperimentPlannerV2.class, Planners.create("v2"));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Planners.create("v3"));
        assertTrue(e.getMessage().contains("'v3'"), e.getMessage());
        assertTrue(e.getMessage().contains("paper, v2"), e.getMessage());
    }
}

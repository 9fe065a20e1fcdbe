package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Fiji finds commands through the annotation index compiled into the jar; check it is there. */
class PluginIndexTest {

    @Test
    void commandsAreInTheSciJavaIndex() throws Exception {
        try (var in = getClass().getResourceAsStream("/META-INF/json/org.scijava.plugin.Plugin")) {
            assertNotNull(in, "annotation index missing: is the scijava-common annotation processor running?");
            String index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(index.contains(ValidateDatasetCommand.class.getName()), index);
            assertTrue(index.contains("nnU-Net Validate"), index);
        }
    }
}

package io.github.nnunetfiji.testutil;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing prerequisite skips locally and fails under CI=true; a present one does neither. */
class PrerequisitesTest {

    @Test
    void missingPrerequisiteSkipsLocallyAndFailsInCi() {
        assertThrows(TestAbortedException.class, () -> Prerequisites.require(false, "something", false));
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Prerequisites.require(false, "python3-scipy", true));
        assertTrue(e.getMessage().contains("python3-scipy"), e.getMessage());
        assertDoesNotThrow(() -> Prerequisites.require(true, "present", true));
        assertDoesNotThrow(() -> Prerequisites.require(true, "present", false));
    }

    @Test
    void ciMeansTheVariableIsTrue() {
        assertTrue(Prerequisites.strict("true"));
        assertTrue(Prerequisites.strict("TRUE"));
        assertFalse(Prerequisites.strict(null));
        assertFalse(Prerequisites.strict("false"));
        assertFalse(Prerequisites.strict(""));
    }

    @Test
    void underCiTheSharedDataAndPythonAreThere() {
        // The guard itself: a CI run that lacks them fails here even if no other test asked.
        if (Prerequisites.strict()) {
            assertTrue(java.nio.file.Files.isDirectory(TestData.sharedRoot()), "shared data at " + TestData.sharedRoot());
            assertTrue(Nibabel.available(), Nibabel.PYTHON + " with nibabel, numpy and scipy");
        }
    }
}

package io.github.nnunetfiji.testutil;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * The one place a test may skip for something missing from the machine (the shared data sets,
 * Python's nibabel or scipy, a tool). Locally such a test is skipped with the reason on the error
 * stream; when the environment variable {@code CI} is {@code true} the same gap fails the test, so
 * a CI run that silently lost its cross-checks cannot stay green.
 */
public final class Prerequisites {

    private Prerequisites() {
    }

    /** True when {@code CI=true}: missing prerequisites fail instead of skipping. */
    public static boolean strict() {
        return strict(System.getenv("CI"));
    }

    static boolean strict(String ciVariable) {
        return "true".equalsIgnoreCase(ciVariable == null ? "" : ciVariable.trim());
    }

    /**
     * Continues if {@code present}; otherwise skips the test, or fails it under {@code CI=true}.
     *
     * @param present whether the prerequisite is there
     * @param what    what is missing and how to get it, e.g. "python3-scipy (apt-get install python3-scipy)"
     */
    public static void require(boolean present, String what) {
        require(present, what, strict());
    }

    static void require(boolean present, String what, boolean strict) {
        if (present) {
            return;
        }
        if (strict) {
            fail("CI=true and a prerequisite of this test is missing: " + what);
        }
        System.err.println("SKIPPED (prerequisite missing; with CI=true this fails): " + what);
        Assumptions.abort("prerequisite missing: " + what);
    }
}

package io.github.nnunetfiji.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness of {@link MutatedInputsTest} tells results, clear errors and every kind of crash apart. */
class InputRunnerTest {

    @TempDir
    Path tmp;

    private InputRunner.Outcome run(FuzzTarget.EntryPoint entry, long timeoutMs) throws Exception {
        FuzzTarget.Seed seed = new FuzzTarget.Seed("seed", new byte[16], new int[0], s -> tmp.resolve("in" + s + ".bin"));
        FuzzTarget t = new FuzzTarget("test", List.of(seed), List.of(FuzzTarget.bytes()), entry, 16);
        return InputRunner.run(t, t.input(7), timeoutMs);
    }

    private InputRunner.Outcome run(FuzzTarget.EntryPoint entry) throws Exception {
        return run(entry, 2_000);
    }

    @Test
    void resultsAndErrorsNamingTheFileAreNotCrashes() throws Exception {
        assertEquals(InputRunner.Kind.RESULT, run(f -> "fine").kind());
        assertEquals(InputRunner.Kind.CLEAR_ERROR, run(f -> {
            throw new IOException(f + ": damaged; copy it again");
        }).kind());
        assertEquals(InputRunner.Kind.CLEAR_ERROR, run(f -> {
            throw new IllegalArgumentException("bad value in " + f.getFileName());
        }).kind());
    }

    @Test
    void everyOtherEndIsACrash() throws Exception {
        assertEquals(InputRunner.Kind.CRASH, run(f -> {
            throw new IOException("Input length = 1");
        }).kind(), "an IOException not naming the file");
        assertEquals(InputRunner.Kind.CRASH, run(f -> {
            throw new IllegalArgumentException();
        }).kind(), "no message");
        assertEquals(InputRunner.Kind.CRASH, run(f -> {
            throw new NullPointerException(f.toString());
        }).kind(), "another type, even naming the file");
        assertEquals(InputRunner.Kind.CRASH, run(f -> recurse(0)).kind(), "a stack overflow");
        InputRunner.Outcome hang = run(f -> {
            Thread.sleep(60_000);
            return null;
        }, 200);
        assertEquals(InputRunner.Kind.CRASH, hang.kind());
        assertTrue(hang.detail().startsWith("hang"), hang.detail());
        // 400 MiB for a 16-byte file: a declared size trusted (the limit is 256 MiB + 16 per byte).
        InputRunner.Outcome memory = run(f -> {
            List<byte[]> kept = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                kept.add(new byte[1 << 20]);
                kept.remove(0);
            }
            return kept;
        });
        assertEquals(InputRunner.Kind.CRASH, memory.kind());
        assertTrue(memory.detail().startsWith("allocated"), memory.detail());
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}

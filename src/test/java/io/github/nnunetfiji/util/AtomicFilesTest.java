package io.github.nnunetfiji.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFailedWriteKeepsThePreviousVersionAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("plans.json");
        AtomicFiles.writeString(f, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void resultsAreReadableByOthers() throws IOException {
        Path f = dir.resolve("x.json");
        AtomicFiles.writeString(f, "{}");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void leftoversOfAKilledWriteAreRemovedAndNothingElse() throws Exception {
        Path left = dir.resolve(".plans.json.123456.tmp");
        Files.writeString(left, "half");
        Path result = dir.resolve("plans.json");
        Files.writeString(result, "{}");
        Path hidden = dir.resolve(".lock");
        Files.writeString(hidden, "");
        AtomicFiles.removeLeftovers(dir);
        assertFalse(Files.exists(left));
        assertTrue(Files.exists(result) && Files.exists(hidden));
    }
}

package io.github.nnunetfiji.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One live holder per lock: a second taker in this or another process is refused with the holder
 * named; a holder killed with SIGKILL leaves a lock that the next run takes over, saying so.
 */
class WorkLockTest {

    @TempDir
    Path dir;

    /** Holds a lock until killed: the other process of the test. */
    public static void main(String[] args) throws Exception {
        try (WorkLock lock = WorkLock.acquire(Path.of(args[0]), "test unit", line -> { })) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    @Test
    void aSecondRunInThisProcessIsRefusedAndTheLockStaysHeld() throws Exception {
        Path file = dir.resolve("locks/unit.lock");
        try (WorkLock first = WorkLock.acquire(file, "test unit", line -> { })) {
            WorkInUseException e = assertThrows(WorkInUseException.class,
                    () -> WorkLock.acquire(dir.resolve("locks/../locks/unit.lock"), "test unit", line -> { }));
            assertTrue(e.getMessage().contains("test unit is in use") && e.getMessage().contains("unit.lock"),
                    e.getMessage());
            assertTrue(Files.readString(file).contains("process " + ProcessHandle.current().pid()));
        }
        List<String> log = new ArrayList<>();
        try (WorkLock again = WorkLock.acquire(file, "test unit", log::add)) {
            assertEquals(List.of(), log, "a released lock is no stale lock");
        }
    }

    @Test
    void anotherProcessHoldsItUntilKilledThenItIsTakenOver() throws Exception {
        Path file = dir.resolve("unit.lock");
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                WorkLockTest.class.getName(), file.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            WorkInUseException e = assertThrows(WorkInUseException.class,
                    () -> WorkLock.acquire(file, "test unit", line -> { }));
            assertTrue(e.getMessage().contains("process " + p.pid()), e.getMessage());
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: the lock file keeps its text
        }
        List<String> log = new ArrayList<>();
        try (WorkLock taken = WorkLock.acquire(file, "test unit", log::add)) {
            assertEquals(1, log.size());
            assertTrue(log.get(0).contains("process " + p.pid()) && log.get(0).contains("no longer running"),
                    log.get(0));
        }
    }

    @Test
    void aLockFilePlantedAsALinkIsNeverWrittenThrough() throws Exception {
        Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "keep me");
        Path link = Files.createSymbolicLink(dir.resolve("unit.lock"), victim);
        assertThrows(java.io.IOException.class, () -> WorkLock.acquire(link, "test unit", line -> { }));
        assertEquals("keep me", Files.readString(victim));
    }
}

package io.github.nnunetfiji.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.PlanStage;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.Progress;

/**
 * A preprocessing process killed with SIGKILL in the middle of the shared BraTS subset: the rerun
 * reuses what was finished, redoes the rest, no half-written file is ever taken for a case, and
 * the result is byte for byte what an uninterrupted run writes, with no leftovers.
 */
class KilledRunResumesTest {

    @TempDir
    Path tmp;

    @Test
    void killedProcessResumes() throws Exception {
        Dataset ds = DatasetLoader.load(TestData.shared("Task01_BrainTumour_DeepMedicSubset"));
        WorkFolder work = new WorkFolder(tmp);
        Plans plans = PlanStage.plan(ds, work, Planners.create("paper"), PlanOverrides.none(), 2, Progress.NONE, s -> { });
        Path dir = work.forDataset(ds).preprocessedDir(plans.configuration("3d_fullres").dataIdentifier());

        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "io.github.nnunetfiji.cli.Main", "preprocess", ds.root().toString(), "-c", "3d_fullres",
                "--work", tmp.toString(), "--threads", "1").redirectErrorStream(true)
                .redirectOutput(tmp.resolve("log.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (countCases(dir) < 1 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the run must still be working when it is killed: " + Files.readString(tmp.resolve("log.txt")));
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process ended");
        assertFalse(p.toHandle().isAlive());
        // 128 + 9: the process was killed by SIGKILL, it did not finish or exit on its own.
        assertEquals(137, p.exitValue(), Files.readString(tmp.resolve("log.txt")));
        int finished = countCases(dir);
        assertTrue(finished >= 1 && finished < 6, "killed after " + finished + " case(s)");

        PreprocessingResult r = new DatasetPreprocessor(2).run(ds, plans, List.of("3d_fullres"), work, Progress.NONE).get(0);
        assertTrue(r.ok(), r.toText());
        assertEquals(6, r.reused().size() + r.processed().size());
        assertTrue(r.reused().size() >= finished, r.toText());
        for (String id : ds.cases().stream().map(c -> c.id()).toList()) {
            assertTrue(PreprocessedCase.isComplete(dir, id), id);
        }

        // The same plan run without interruption, elsewhere: every file equal, byte for byte.
        WorkFolder clean = new WorkFolder(tmp.resolve("uninterrupted"));
        PreprocessingResult u = new DatasetPreprocessor(2).run(ds, plans, List.of("3d_fullres"), clean, Progress.NONE)
                .get(0);
        assertEquals(6, u.processed().size());
        Path cleanDir = clean.forDataset(ds).preprocessedDir(plans.configuration("3d_fullres").dataIdentifier());
        List<String> files = list(dir);
        assertEquals(list(cleanDir), files, "the same files, and no leftover temporary file of the killed run");
        assertEquals(6 * 3 + 1, files.size(), files.toString());
        for (String f : files) {
            assertEquals(-1L, Files.mismatch(dir.resolve(f), cleanDir.resolve(f)), f + " differs from an uninterrupted run's");
        }
    }

    /** Every file in a folder, hidden ones included, sorted. */
    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static int countCases(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.startsWith(".") && !n.equals(DatasetPreprocessor.INDEX_FILE))
                    .count();
        }
    }
}

package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.preprocess.PreprocessingResult;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.RealType;

/**
 * Results are reused only when they were made from the same inputs: after one label file changes,
 * a rerun makes again exactly what depends on it, and its outputs equal a fresh run's, byte for byte.
 */
class StaleOutputsTest {

    @TempDir
    Path tmp;

    /** Notes the stages pass on, for checking what they decided. */
    private static final class Notes implements Progress {
        final List<String> lines = new ArrayList<>();

        @Override
        public void note(String text) {
            lines.add(text);
        }

        @Override
        public void status(String message) {
        }

        @Override
        public void progress(long done, long total) {
        }

        @Override
        public boolean isCanceled() {
            return false;
        }

        boolean any(String part) {
            return lines.stream().anyMatch(l -> l.contains(part));
        }
    }

    private static PlanAndPreprocessStage.Result run(Path ds, Path work, boolean force, Progress p) throws Exception {
        return new PlanAndPreprocessStage().run(new PlanAndPreprocessStage.Request(ds, new WorkFolder(work),
                Planners.create("paper"), PlanOverrides.none(), List.of(), 2, force), p);
    }

    @Test
    void aChangedLabelFileIsPreprocessedAgainAndTheResultEqualsAFreshRun() throws Exception {
        Path ds = TestData.copy(TestData.bratsMini(), tmp.resolve("Task01_BrainTumour_mini"));
        Path work = tmp.resolve("work");
        run(ds, work, false, Progress.NONE);

        Notes unchanged = new Notes();
        PreprocessingResult again = run(ds, work, false, unchanged).preprocess().configurations().get(0);
        assertTrue(unchanged.any("Using the fingerprint"), unchanged.lines.toString());
        assertEquals(List.of(), again.processed());

        // Relabel class 3 as 2 in one case: same size, new content and time.
        Path label = ds.resolve("labelsTr/BRATS_0002.nii.gz");
        relabel(label, 3, 2);
        Notes changed = new Notes();
        PlanAndPreprocessStage.Result r = run(ds, work, false, changed);
        assertTrue(changed.any("labelsTr/BRATS_0002.nii.gz changed (content"), changed.lines.toString());
        for (PreprocessingResult c : r.preprocess().configurations()) {
            assertEquals(List.of("BRATS_0002"), c.processed(), c.toText());
            assertEquals(List.of("BRATS_0001", "BRATS_0003"), c.reused(), c.toText());
        }

        Path fresh = tmp.resolve("fresh");
        run(ds, fresh, false, Progress.NONE);
        assertSameTrees(fresh.resolve(ds.getFileName()), work.resolve(ds.getFileName()));

        // --force makes everything again, whatever is current.
        PlanAndPreprocessStage.Result forced = run(ds, work, true, Progress.NONE);
        assertFalse(forced.plan().fingerprint().reused());
        forced.preprocess().configurations().forEach(c -> assertEquals(3, c.processed().size(), c.toText()));
    }

    @Test
    void aFileTouchedButUnchangedOrAnImageChangedAreNoticed() throws Exception {
        Path ds = TestData.copy(TestData.isbiMini(), tmp.resolve("Task100_ISBI2012EM_mini"));
        Path work = tmp.resolve("work");
        run(ds, work, false, Progress.NONE);
        Path image = ds.resolve("imagesTr/isbi_001.nii.gz");
        Files.setLastModifiedTime(image, FileTime.fromMillis(Files.getLastModifiedTime(image).toMillis() - 60_000));
        Notes touched = new Notes();
        PreprocessingResult c = run(ds, work, false, touched).preprocess().configurations().get(0);
        assertTrue(touched.any("imagesTr/isbi_001.nii.gz changed (modification time)"), touched.lines.toString());
        assertEquals(List.of("isbi_001"), c.processed());

        // Truncated: the case fails by name, and nothing old of it is left to be reused.
        byte[] bytes = Files.readAllBytes(image);
        Files.write(image, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        PlanAndPreprocessStage.Result broken = run(ds, work, false, Progress.NONE);
        assertFalse(broken.validation().ok(), "validate reads every case and names the truncated file");
        assertTrue(broken.validation().report().contains("isbi_001.nii.gz"));
    }

    /** Rewrites a label file with one class renamed. */
    static void relabel(Path file, int from, int to) throws IOException {
        Image img = ImageIO.read(file);
        for (var ch : img.channels()) {
            @SuppressWarnings("unchecked")
            var rai = (net.imglib2.RandomAccessibleInterval<RealType<?>>) ch;
            LoopBuilder.setImages(rai).forEachPixel(v -> {
                if (v.getRealDouble() == from) {
                    v.setReal(to);
                }
            });
        }
        ImageIO.write(img, file);
    }

    /** Every file under {@code expected} exists under {@code actual} with the same bytes, and no other. */
    static void assertSameTrees(Path expected, Path actual) throws IOException {
        TreeMap<String, Path> a = files(expected);
        TreeMap<String, Path> b = files(actual);
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(Files.readAllBytes(a.get(name)), Files.readAllBytes(b.get(name)), name);
        }
    }

    private static TreeMap<String, Path> files(Path root) throws IOException {
        TreeMap<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).forEach(f -> out.put(root.relativize(f).toString(), f));
        }
        return out;
    }
}

package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.console.ConsoleService;
import org.scijava.startup.StartupService;

import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.inference.models.ModelFolders;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.TestData;
import net.imglib2.Cursor;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Every headless Fiji command line the README shows, run through scijava-common's own {@code --run}
 * argument processing (ConsoleService), in the README's order, with {@code /path/to/} pointing at
 * a folder holding the bundled data set and a model zip.
 */
class HeadlessRunTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    private static final String LAUNCHER = "ImageJ-linux64 --headless --console ";

    @TempDir
    Path tmp;

    /** The README's headless command lines, in order. */
    static List<String> readmeCommandLines() throws Exception {
        return Files.readAllLines(Path.of("README.md")).stream().map(String::trim)
                .filter(l -> l.startsWith(LAUNCHER + "--run ")).toList();
    }

    /** Splits a shell command line: words, "double-quoted" and 'single-quoted' parts. */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    @Test
    void everyReadmeCommandLineRuns() throws Exception {
        Path data = tmp.resolve("data");
        TestData.copy(TestData.isbiMini(), data.resolve("Task100_ISBI2012EM_mini"));
        Path model = ModelFolders.create(tmp.resolve("model"), "ISBI2012EM_mini", "fold_0");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(data.resolve("isbi_2d.zip")));
                Stream<Path> s = Files.walk(model)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                z.putNextEntry(new ZipEntry(model.relativize(p).toString()));
                z.write(Files.readAllBytes(p));
                z.closeEntry();
            }
        }
        List<String> lines = readmeCommandLines();
        assertTrue(lines.size() >= 8, "headless command lines in README.md: " + lines);
        for (String line : lines) {
            List<String> words = shellWords(line.replace("/path/to/", data + "/"));
            // The launcher handles --headless and --console; the rest goes to scijava-common.
            List<String> args = words.subList(3, words.size());
            System.setProperty(NnunetCommand.SUCCESS_PROPERTY, "unset");
            fiji.service(ConsoleService.class).processArgs(args.toArray(String[]::new));
            // --run queues its command as a startup operation; the application runs them after the arguments.
            fiji.service(StartupService.class).executeOperations();
            assertEquals("true", System.getProperty(NnunetCommand.SUCCESS_PROPERTY),
                    line + "\n" + System.getProperty(NnunetCommand.MESSAGE_PROPERTY));
        }
        Path work = data.resolve("work/Task100_ISBI2012EM_mini");
        assertTrue(Files.isRegularFile(work.resolve("dataset_summary.json")));
        assertTrue(Files.isRegularFile(work.resolve("dataset_fingerprint.json")));
        assertTrue(Files.isRegularFile(work.resolve("plans.json")));
        assertTrue(Files.isDirectory(work.resolve("preprocessed")
                .resolve(Plans.read(work.resolve("plans.json")).configuration("2d").dataIdentifier())));
        assertEquals(2, Plans.read(work.resolve("plans.json")).configuration("2d").batchSize(), "the override");
        assertTrue(Files.isRegularFile(work.resolve("models/2d/fold_0/inference_model/model.json")), "trained");
        for (int k = 0; k < 5; k++) {
            assertTrue(Files.isRegularFile(data.resolve("predictions/isbi_00" + k + ".nii.gz")), "predicted " + k);
        }
        assertTrue(Files.isRegularFile(data.resolve("predictions/predictions.json")));
        // Postprocess determine (cross-validation on fold 0's validation predictions), apply, evaluate.
        assertTrue(Files.isRegularFile(work.resolve("models/2d/postprocessing.json")), "rule determined");
        for (int k = 0; k < 5; k++) {
            assertTrue(Files.isRegularFile(data.resolve("postprocessed/isbi_00" + k + ".nii.gz")), "postprocessed " + k);
        }
        assertTrue(Files.isRegularFile(data.resolve("postprocessed/summary.json")), "evaluated");
        assertEquals(List.of("isbi_2d", "isbi_mini_2d"), new ModelRegistry(fiji.modelsFolder()).names());
        // Predict with the installed model by name: the same labels as with its folder.
        for (int k = 0; k < 5; k++) {
            String c = "isbi_00" + k + ".nii.gz";
            assertTrue(sameVoxels(data.resolve("predictions").resolve(c), data.resolve("predictions_by_name").resolve(c)),
                    c);
        }
    }

    private static boolean sameVoxels(Path a, Path b) throws Exception {
        Image x = ImageIO.read(a);
        Image y = ImageIO.read(b);
        if (!java.util.Arrays.equals(x.shape(), y.shape())) {
            return false;
        }
        Cursor<? extends RealType<?>> cx = Views.flatIterable(x.channel(0)).cursor();
        Cursor<? extends RealType<?>> cy = Views.flatIterable(y.channel(0)).cursor();
        while (cx.hasNext()) {
            if (cx.next().getRealDouble() != cy.next().getRealDouble()) {
                return false;
            }
        }
        return true;
    }
}

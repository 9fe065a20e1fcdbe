package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.Command;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ij.measure.ResultsTable;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.testutil.TrainedTestModel;
import io.github.nnunetfiji.train.FoldValidation;
import io.github.nnunetfiji.util.Json;
import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * nnU-Net Postprocess and nnU-Net Evaluate (and nnU-Net Predict with an installed model chosen by
 * name) run headless through the ModuleService on the bundled ISBI cases with a model the pipeline
 * trained ({@link TrainedTestModel}): the cross-validation rule determined from the folds'
 * validation predictions and applied to a folder as prediction applies it, a rule file on a map
 * with a known answer, references against themselves (Dice 1), and each bad input refused with a
 * message naming what is missing.
 */
class PostprocessEvaluateCommandsTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    private Module run(Class<? extends Command> type, Object... inputs) throws Exception {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < inputs.length; i += 2) {
            map.put((String) inputs[i], inputs[i + 1]);
        }
        return fiji.service(ModuleService.class).run(fiji.service(CommandService.class).getCommand(type), true,
                map).get();
    }

    private static void assertSucceeded(Module m) {
        assertEquals(Boolean.TRUE, m.getOutput("success"), (String) m.getOutput("message"));
    }

    private static void assertFailed(Module m, String... named) {
        assertEquals(Boolean.FALSE, m.getOutput("success"));
        String message = (String) m.getOutput("message");
        for (String n : named) {
            assertTrue(message.contains(n), "'" + n + "' not in: " + message);
        }
        assertEquals("false", System.getProperty(NnunetCommand.SUCCESS_PROPERTY));
    }

    private static int[] values(Path file) throws Exception {
        Image img = ImageIO.read(file);
        int[] v = new int[Math.toIntExact(img.voxelCount())];
        Cursor<? extends RealType<?>> c = Views.flatIterable(img.channel(0)).cursor();
        for (int i = 0; i < v.length; i++) {
            v[i] = (int) c.next().getRealDouble();
        }
        return v;
    }

    private static List<String> niftis(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".nii.gz")).sorted().toList();
        }
    }

    @Test
    void determineApplyAndEvaluateOnTheIsbiCases() throws Exception {
        Path model = TestData.copy(TrainedTestModel.folder(), fiji.modelsFolder().resolve("isbi_2d"));
        Path labels = TestData.isbiMini().resolve("labelsTr");

        // Predict with the installed model chosen by name, raw argmax: the folds' validation predictions.
        Path raw = tmp.resolve("raw");
        Module p = run(PredictCommand.class, "input", TestData.isbiMini().resolve("imagesTr").toFile(), "output",
                raw.toFile(), "model", "isbi_2d", "tta", false, "postprocess", false, "threads", 2);
        assertSucceeded(p);
        List<String> cases = niftis(raw);
        assertEquals(5, cases.size(), cases.toString());

        // Cross-validation needs validation predictions: none yet, so refused, naming the folder.
        Module d = run(PostprocessCommand.class, "action", "determine", "model", model.toFile(), "method",
                "cross-validation", "dataset", TestData.isbiMini().toFile());
        assertFailed(d, "No finished validation", model.toString());
        assertTrue(Files.notExists(model.resolve("postprocessing.json")));

        // The fold's final validation as the trainer leaves it: the predictions, then the summary.
        Path validation = Files.createDirectories(model.resolve("fold_0/validation"));
        List<FoldValidation.CaseResult> listed = new java.util.ArrayList<>();
        for (String c : cases) {
            Files.copy(raw.resolve(c), validation.resolve(c));
            listed.add(new FoldValidation.CaseResult(c.replace(".nii.gz", ""), Map.of(), c, null));
        }
        assertFailed(run(PostprocessCommand.class, "action", "determine", "model", model.toFile(), "method",
                "cross-validation", "dataset", TestData.isbiMini().toFile()), "No finished validation", model.toString());
        Json.write(validation.resolve("summary.json"), new FoldValidation.Summary("0", "final", "test", listed,
                Map.of(), null, null));
        d = run(PostprocessCommand.class, "action", "determine", "model", model.toFile(), "method", "cross-validation",
                "dataset", TestData.isbiMini().toFile(), "threads", 2);
        assertSucceeded(d);
        Path ruleFile = model.resolve("postprocessing.json");
        assertEquals(ruleFile.toString(), d.getOutput("rulefile"));
        PostprocessingRule rule = PostprocessingRule.read(ruleFile);
        assertEquals(PostprocessingRule.CROSS_VALIDATION, rule.method());
        assertTrue(((String) d.getOutput("report")).contains("Postprocessing: " + rule.describe()),
                (String) d.getOutput("report"));

        // Applied to the raw predictions: what Predict writes with that rule in the model folder.
        Path applied = tmp.resolve("applied");
        Module a = run(PostprocessCommand.class, "action", "apply", "model", model.toFile(), "input", raw.toFile(),
                "output", applied.toFile());
        assertSucceeded(a);
        Path predicted = tmp.resolve("predicted");
        assertSucceeded(run(PredictCommand.class, "input", TestData.isbiMini().resolve("imagesTr").toFile(), "output",
                predicted.toFile(), "model", "isbi_2d", "tta", false, "postprocess", true, "threads", 2));
        assertEquals(cases, niftis(applied));
        for (String c : cases) {
            assertArrayEquals(values(predicted.resolve(c)), values(applied.resolve(c)), c);
        }

        // Evaluate: summary.json in the predictions folder, a table row per case and class, then the means.
        Module e = run(EvaluateCommand.class, "predictions", applied.toFile(), "references", labels.toFile(), "threads",
                2);
        assertSucceeded(e);
        Path summary = applied.resolve("summary.json");
        assertEquals(summary.toString(), e.getOutput("summaryfile"));
        JsonObject json = JsonParser.parseString(Files.readString(summary)).getAsJsonObject();
        double dice = (Double) e.getOutput("foregrounddice");
        assertTrue(dice >= 0 && dice <= 1, "Dice " + dice);
        assertEquals(dice, json.getAsJsonObject("foreground_mean").get("Dice").getAsDouble(), 1e-9);
        assertTrue(((String) e.getOutput("report")).contains("foreground"), (String) e.getOutput("report"));
        ResultsTable t = ((EvaluateCommand) ((org.scijava.command.CommandModule) e).getCommand()).table();
        assertEquals(5 + 1 + 1, t.size(), "5 cases x 1 class, the class mean, the foreground mean");
        assertEquals("isbi_000", t.getStringValue("case", 0));
        assertEquals("1", t.getStringValue("class", 0));
        assertEquals("foreground", t.getStringValue("class", t.size() - 1));
        assertEquals(dice, t.getValue("Dice", t.size() - 1), 1e-12);

        // References against themselves: Dice 1, HD95 0; the summary where output says.
        e = run(EvaluateCommand.class, "predictions", labels.toFile(), "references", labels.toFile(), "labels", "1",
                "output", tmp.resolve("self.json").toFile());
        assertSucceeded(e);
        assertEquals(1.0, (Double) e.getOutput("foregrounddice"), 1e-12);
        assertTrue(Files.isRegularFile(tmp.resolve("self.json")));

        // Bad input: each failure names what is missing.
        assertFailed(run(EvaluateCommand.class, "predictions", applied.toFile(), "references",
                tmp.resolve("nowhere").toFile()), "References folder not found", "nowhere");
        // A required input left out: named by its dialog label, with its macro key.
        assertFailed(run(EvaluateCommand.class, "references", labels.toFile()), "\"Predictions folder\" is not set",
                "predictions=[...]");
        assertFailed(run(EvaluateCommand.class, "predictions", tmp.resolve("none").toFile(), "references",
                labels.toFile()), "Predictions folder not found", "none", "nnU-Net Predict");
        Path partial = Files.createDirectories(tmp.resolve("partial"));
        Files.copy(applied.resolve("isbi_000.nii.gz"), partial.resolve("isbi_000.nii.gz"));
        assertFailed(run(EvaluateCommand.class, "predictions", partial.toFile(), "references", labels.toFile()),
                "isbi_001");
        assertTrue(Files.notExists(partial.resolve("summary.json")));
        assertFailed(run(EvaluateCommand.class, "predictions", applied.toFile(), "references", labels.toFile(),
                "labels", "one"), "'one'");
        assertFailed(run(PostprocessCommand.class, "action", "determine", "model", model.toFile(), "method",
                "cross-validation"), "dataset=");
        assertFailed(run(PostprocessCommand.class, "action", "apply", "input", raw.toFile(), "output",
                tmp.resolve("x").toFile()), "No rule to apply", "model=", "rule=");
        assertFailed(run(PostprocessCommand.class, "action", "apply", "model", model.toFile(), "output",
                tmp.resolve("x").toFile()), "No input folder", "input=");
        assertFailed(run(PostprocessCommand.class, "action", "determine", "model", tmp.resolve("gone").toFile()),
                "Model folder not found", "gone");
        assertFailed(run(PredictCommand.class, "input", raw.toFile(), "output", tmp.resolve("x").toFile(), "model",
                "no_such_model"), "no_such_model", "isbi_2d", "modelfolder=");
    }

    @Test
    void applyingARuleFileKeepsTheLargestComponent() throws Exception {
        // Class 1 in two pieces (12 and 2 voxels), class 2 in two pieces: the rule names class 1 only.
        long[] shape = {8, 6, 1};
        int[] v = new int[48];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                v[x + 8 * y] = 1;
            }
        }
        v[7 + 8 * 5] = 1;
        v[6 + 8 * 5] = 1;
        v[0 + 8 * 5] = 2;
        v[7 + 8 * 0] = 2;
        Path in = Files.createDirectories(tmp.resolve("in"));
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        ImageIO.write(Image.of(ArrayImgs.unsignedBytes(b, shape), Geometry.ofSpacing(1, 1, 1)), in.resolve("c.nii.gz"));
        Path ruleFile = tmp.resolve("rule.json");
        new PostprocessingRule(PostprocessingRule.PAPER, false, new int[] {1}).write(ruleFile);

        Module a = run(PostprocessCommand.class, "action", "apply", "input", in.toFile(), "output",
                tmp.resolve("out").toFile(), "rule", ruleFile.toFile());
        assertSucceeded(a);
        int[] expected = v.clone();
        expected[7 + 8 * 5] = 0;
        expected[6 + 8 * 5] = 0;
        assertArrayEquals(expected, values(tmp.resolve("out/c.nii.gz")));
        assertTrue(((String) a.getOutput("report")).contains("2 voxel(s) removed"), (String) a.getOutput("report"));

        assertFailed(run(PostprocessCommand.class, "action", "apply", "input", in.toFile(), "output",
                tmp.resolve("out").toFile(), "rule", tmp.resolve("missing.json").toFile()), "Rule file not found",
                "missing.json");
        Path allForeground = tmp.resolve("all.json");
        new PostprocessingRule(PostprocessingRule.CROSS_VALIDATION, true, new int[0]).write(allForeground);
        assertFailed(run(PostprocessCommand.class, "action", "apply", "input", in.toFile(), "output",
                tmp.resolve("out2").toFile(), "rule", allForeground.toFile()), "all.json", "model=");
        assertTrue(Files.notExists(tmp.resolve("out2")));
    }
}

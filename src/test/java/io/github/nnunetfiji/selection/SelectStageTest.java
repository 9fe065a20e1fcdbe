package io.github.nnunetfiji.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.inference.ChosenModel;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.pipeline.PlanStage;
import io.github.nnunetfiji.pipeline.PrerequisiteException;
import io.github.nnunetfiji.pipeline.SelectStage;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.train.FoldValidation;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.view.Views;

/**
 * Selection on fabricated cross-validation results with a known answer: on the bundled ISBI
 * sections (one per fold), configuration "2d" is sure and right on the left half of each section
 * and unsure and wrong on the right half, "3d_fullres" the other way round, so each alone is
 * imperfect and their mean is right everywhere: the ensemble must win with Dice 1.
 */
class SelectStageTest {

    @TempDir
    Path tmp;
    private Dataset ds;
    private WorkFolder work;
    private Path models;

    @BeforeEach
    void fabricate() throws Exception {
        ds = DatasetLoader.load(TestData.isbiMini());
        work = new WorkFolder(tmp.resolve("work"));
        new PlanStage().run(new PlanStage.Request(ds.root(), work, Planners.create("paper"), PlanOverrides.parse(
                List.of()), 1, false), Progress.NONE);
        models = work.forDataset(ds).modelsDir();
        for (String config : List.of("2d", "3d_fullres")) {
            Path folder = Files.createDirectories(models.resolve(config));
            Files.copy(work.forDataset(ds).plansFile(), folder.resolve("plans.json"));
            List<CaseEntry> cases = ds.cases();
            for (int k = 0; k < cases.size(); k++) {
                validate(folder.resolve("fold_" + k + "/validation"), k, cases.get(k), config.equals("2d"));
            }
        }
    }

    /** One fold's validation of one case, as a finished final validation leaves it. */
    private static void validate(Path dir, int fold, CaseEntry c, boolean sureOnTheLeft) throws IOException {
        LabelImage truth = c.readLabel();
        long[] shape = truth.shape();
        int n = (int) (shape[0] * shape[1] * shape[2]);
        float[] bg = new float[n];
        float[] fg = new float[n];
        byte[] labels = new byte[n];
        int i = 0;
        for (IntegerType<?> t : Views.flatIterable(truth.labels())) {
            boolean left = (i % shape[0]) < shape[0] / 2;
            float right = left == sureOnTheLeft ? 0.9f : 0.4f; // the probability of the true class
            float pfg = t.getInteger() == 1 ? right : 1 - right;
            fg[i] = pfg;
            bg[i] = 1 - pfg;
            labels[i] = (byte) (pfg > 0.5f ? 1 : 0);
            i++;
        }
        Image probabilities = ProbabilityMeanTest.probabilities(shape, bg, fg).withGeometry(truth.geometry());
        LabelImage predicted = new LabelImage(net.imglib2.img.array.ArrayImgs.unsignedBytes(labels, shape),
                truth.geometry());
        ImageIO.write(probabilities, dir.resolve(FoldValidation.probabilitiesFile(c.id())));
        ImageIO.write(predicted.asImage(), dir.resolve(c.id() + ".nii.gz"));
        Map<String, Double> dice = FoldValidation.dice(predicted, truth, 2, -1);
        List<FoldValidation.CaseResult> cases = List.of(new FoldValidation.CaseResult(c.id(), dice, c.id() + ".nii.gz",
                FoldValidation.probabilitiesFile(c.id())));
        Json.write(dir.resolve("summary.json"), new FoldValidation.Summary(Integer.toString(fold), "final", "fabricated",
                cases, dice, dice.get("1"), null));
    }

    private SelectStage.Result select(List<String> folds) throws Exception {
        return new SelectStage().run(new SelectStage.Request(ds.root(), work, List.of(), folds, 1), Progress.NONE);
    }

    @Test
    void theEnsembleOfComplementaryConfigurationsIsChosen() throws Exception {
        SelectStage.Result r = select(List.of());
        assertEquals(List.of("2d", "3d_fullres", "2d+3d_fullres"), r.candidates().stream().map(CandidateScore::name)
                .toList());
        assertEquals("2d+3d_fullres", r.chosen().name());
        assertEquals(1.0, r.chosen().foregroundDice(), 1e-12);
        assertTrue(r.candidates().get(0).foregroundDice() < 0.99 && r.candidates().get(1).foregroundDice() < 0.99);
        assertEquals(ds.cases().size(), r.chosen().cases());
        // Each configuration's score is the mean over its folds' cases, as their summaries give them.
        double sum = 0;
        for (int k = 0; k < ds.cases().size(); k++) {
            sum += Json.read(models.resolve("2d/fold_" + k + "/validation/summary.json"), FoldValidation.Summary.class)
                    .cases().get(0).dice().get("1");
        }
        assertEquals(sum / ds.cases().size(), r.candidates().get(0).foregroundDice(), 1e-12);

        ChosenModel choice = ChosenModel.read(models).orElseThrow();
        assertEquals(List.of("2d", "3d_fullres"), choice.configurations());
        assertEquals(List.of("0", "1", "2", "3", "4"), choice.folds());
        assertTrue(Files.isRegularFile(choice.postprocessingFile(models)), choice.postprocessing());
        assertEquals(models.resolve("ensembles/2d+3d_fullres/postprocessing.json"), choice.postprocessingFile(models));
        CaseEntry first = ds.cases().get(0);
        LabelImage ensembled = LabelImage.fromImage(ImageIO.read(models.resolve("ensembles/2d+3d_fullres/crossval/"
                + first.id() + ".nii.gz")));
        assertArrayEquals(first.readLabel().histogram(), ensembled.histogram(), "the mean is right everywhere");
        assertTrue(Files.size(models.resolve(SelectStage.PLOT)) > 1000);
        assertTrue(Files.readString(models.resolve(SelectStage.REPORT)).contains("\"chosen\": \"2d+3d_fullres\""));
        assertTrue(r.report().contains("* 2d+3d_fullres"), r.report());
    }

    @Test
    void aFoldMissingInOneConfigurationIsLeftOutForAll() throws Exception {
        Files.delete(models.resolve("3d_fullres/fold_4/validation/summary.json"));
        SelectStage.Result r = select(List.of());
        assertEquals(List.of("0", "1", "2", "3"), r.chosen().folds());
        assertEquals(4, r.chosen().cases());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("folds 0, 1, 2, 3")), r.notes().toString());
        PrerequisiteException e = assertThrows(PrerequisiteException.class, () -> select(List.of("4")));
        assertTrue(e.getMessage().contains("Fold 4 of 3d_fullres"), e.getMessage());
        assertEquals(List.of("0", "1", "2", "3"), ChosenModel.read(models).orElseThrow().folds(),
                "a refused selection leaves the choice before it");
    }

    @Test
    void withoutProbabilitiesTheEnsembleIsNotScoredAndTheBestConfigurationWins() throws Exception {
        Files.delete(models.resolve("2d/fold_0/validation/" + FoldValidation.probabilitiesFile(ds.cases().get(0).id())));
        SelectStage.Result r = select(List.of());
        assertEquals(2, r.candidates().size());
        assertFalse(r.chosen().isEnsemble());
        List<CandidateScore> singles = new ArrayList<>(r.candidates());
        singles.sort((a, b) -> Double.compare(b.foregroundDice(), a.foregroundDice()));
        assertEquals(singles.get(0).name(), r.chosen().name());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("not scored")), r.notes().toString());
        ChosenModel choice = ChosenModel.read(models).orElseThrow();
        assertEquals(List.of(r.chosen().name()), choice.configurations());
        assertEquals(models.resolve(r.chosen().name()).resolve("postprocessing.json"), choice.postprocessingFile(models));
    }

    @Test
    void nothingTrainedIsAPrerequisiteNamingTheTraining() throws Exception {
        for (String c : List.of("2d", "3d_fullres")) {
            for (int k = 0; k < 5; k++) {
                Files.deleteIfExists(models.resolve(c + "/fold_" + k + "/validation/summary.json"));
            }
        }
        PrerequisiteException e = assertThrows(PrerequisiteException.class, () -> select(List.of()));
        assertTrue(e.getMessage().contains("train"), e.getMessage());
        assertFalse(Files.exists(models.resolve(ChosenModel.FILE)));
    }
}

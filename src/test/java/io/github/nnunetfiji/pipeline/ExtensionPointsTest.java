package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.normalization.NormalizationSchemes;
import io.github.nnunetfiji.plan.ChannelNormalization;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.testutil.TestStages;

/** A normalization scheme and a planner added as one class each (test classes listed in META-INF/services). */
class ExtensionPointsTest {

    @TempDir
    Path tmp;

    @Test
    void anAddedSchemeIsChosenByChannelNameAndAppliedByPreprocessing() throws Exception {
        assertEquals("Negate", NormalizationSchemes.forChannel("negated").name());
        assertEquals("CT", NormalizationSchemes.forChannel("ct").name());
        assertEquals("NoNorm", NormalizationSchemes.forChannel("noNorm").name());
        assertEquals("RescaleTo01", NormalizationSchemes.forChannel("rescale_to_0_1").name());
        assertEquals("ZScore", NormalizationSchemes.forChannel("FLAIR").name());

        Dataset ds = DatasetLoader.load(TestData.isbiMini());
        Plans plans = TestStages.plan(ds, new WorkFolder(tmp), "paper");
        PlanConfiguration c = plans.configuration(PlanConfiguration.CONFIG_2D);
        plans = plans.withConfiguration(
                c.toBuilder().normalization(List.of(new ChannelNormalization(0, "negated", "Negate", false))).build());
        Image image = ds.cases().get(0).readImage();
        float[] raw = FlatArrays.toFloats(image.channel(0));
        CaseStage.Preprocessed p = new CaseStage(plans, PlanConfiguration.CONFIG_2D, 1).preprocess(image.channels(),
                image.geometry().spacing());
        // EM sections have no zero border, so nothing is cropped and the spacing is the data set's: only the sign changes.
        assertArrayEquals(FlatArrays.shape(image.channel(0)), p.header().shape());
        float[] out = FlatArrays.toFloats(p.networkInput().get(0));
        for (int i = 0; i < raw.length; i++) {
            out[i] = -out[i];
        }
        assertArrayEquals(raw, out);
    }

    @Test
    void anAddedPlannerIsFoundByName() throws Exception {
        assertTrue(Planners.names().contains("raw-intensity"), Planners.names().toString());
        Dataset ds = DatasetLoader.load(TestData.isbiMini());
        Plans plans = TestStages.plan(ds, new WorkFolder(tmp), "raw-intensity");
        assertEquals("raw-intensity", plans.planner());
        for (PlanConfiguration c : plans.configurations().values()) {
            assertEquals("NoNorm", c.normalization().get(0).scheme());
        }
    }
}

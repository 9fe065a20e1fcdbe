package io.github.nnunetfiji.inference.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;

/**
 * The reference's plans as this project's: inherited configurations, the axis order under
 * transpose_forward, and what is refused (make_reference_models.py's plans, changed here).
 */
class ReferencePlansTest {

    static final Path MODELS = ReferenceWeightsTest.FIXTURES.resolve("models/Dataset998_Tiny");

    private static JsonObject json(String trainer, String file) throws IOException {
        return JsonParser.parseString(Files.readString(MODELS.resolve(trainer).resolve(file))).getAsJsonObject();
    }

    private static JsonArray ints(int... v) {
        JsonArray a = new JsonArray();
        for (int x : v) {
            a.add(x);
        }
        return a;
    }

    @Test
    void aTransposed2dConfigurationCutsAcrossTheCoarsestAxis() throws IOException {
        JsonObject plans = json("nnUNetTrainer__nnUNetPlans__2d", "plans.json");
        JsonObject dataset = json("nnUNetTrainer__nnUNetPlans__2d", "dataset.json");
        // The reference moves x (its axis 2) first when x is the coarsest: slices across x.
        plans.add("transpose_forward", ints(2, 0, 1));
        plans.add("transpose_backward", ints(1, 2, 0));
        plans.add("original_median_spacing_after_transp", ints(4, 2, 1));
        Plans p = ReferencePlans.translate(plans, "2d", dataset, List.of(0, 1), "plans.json", "dataset.json");
        PlanConfiguration c = p.configuration("2d");
        assertEquals(0, c.sliceAxis());
        // Network axes (transposed 1 = z, transposed 2 = y) are this project's z and y.
        assertArrayEquals(new long[] {1, 12, 16}, c.patchSize());
        assertArrayEquals(new double[] {4, 0.5, 0.5}, c.spacing(), 1e-12);
        assertArrayEquals(new int[] {2, 1}, c.mirrorAxes());
        assertArrayEquals(new double[] {4, 1, 2}, p.originalMedianSpacing(), 1e-12);
    }

    @Test
    void anInheritedConfigurationTakesItsParentsFields() throws IOException {
        JsonObject plans = json("nnUNetTrainer__nnUNetPlans__3d_fullres", "plans.json");
        JsonObject configs = plans.getAsJsonObject("configurations");
        JsonObject child = new JsonObject();
        child.addProperty("inherits_from", "3d_fullres");
        child.addProperty("batch_size", 7);
        configs.add("3d_lowres", child);
        JsonObject resolved = ReferencePlans.configuration(plans, "3d_lowres", "plans.json");
        assertEquals(7, resolved.get("batch_size").getAsInt());
        assertEquals(configs.getAsJsonObject("3d_fullres").get("architecture"), resolved.get("architecture"));
        assertTrue(!resolved.has("inherits_from"));
        Plans p = ReferencePlans.translate(plans, "3d_lowres", json("nnUNetTrainer__nnUNetPlans__3d_fullres",
                "dataset.json"), null, "plans.json", "dataset.json");
        assertEquals(0, p.configuration("3d_lowres").mirrorAxes().length); // no mirroring allowed
    }

    @Test
    void whatThisProjectCannotRunAsTheReferenceIsRefused() throws IOException {
        JsonObject dataset = json("nnUNetTrainer__nnUNetPlans__3d_fullres", "dataset.json");
        JsonObject plans = json("nnUNetTrainer__nnUNetPlans__3d_fullres", "plans.json");
        plans.add("transpose_forward", ints(2, 0, 1));
        assertRefused(plans, "3d_fullres", dataset, "transpose_forward");

        plans = json("nnUNetTrainer__nnUNetPlans__3d_fullres", "plans.json");
        plans.getAsJsonObject("configurations").getAsJsonObject("3d_fullres").addProperty("previous_stage", "3d_lowres");
        assertRefused(plans, "3d_fullres", dataset, "cascade");

        plans = json("nnUNetTrainer__nnUNetPlans__3d_fullres", "plans.json");
        plans.getAsJsonObject("configurations").getAsJsonObject("3d_fullres").addProperty("resampling_fn_data",
                "resample_torch_fornnunet");
        assertRefused(plans, "3d_fullres", dataset, "resample_torch_fornnunet");

        plans = json("nnUNetTrainer__nnUNetPlans__3d_fullres", "plans.json");
        plans.remove("foreground_intensity_properties_per_channel");
        assertRefused(plans, "3d_fullres", dataset, "CT-normalized");

        JsonObject regions = dataset.deepCopy();
        regions.getAsJsonObject("labels").add("organ", ints(1, 2));
        assertRefused(json("nnUNetTrainer__nnUNetPlans__3d_fullres", "plans.json"), "3d_fullres", regions, "region");
        assertRefused(json("nnUNetTrainer__nnUNetPlans__3d_fullres", "plans.json"), "2d", dataset, "no configuration '2d'");
    }

    private static void assertRefused(JsonObject plans, String config, JsonObject dataset, String named) {
        ReferenceModelException e = assertThrows(ReferenceModelException.class,
                () -> ReferencePlans.translate(plans, config, dataset, List.of(0, 1, 2), "X/plans.json", "X/dataset.json"));
        assertTrue(e.getMessage().contains(named) && e.getMessage().contains("X/"), e.getMessage());
    }

    @Test
    void theReferencesPostprocessingDecisionIsItsTwoSteps() {
        JsonObject pp = JsonParser.parseString("{\"postprocessing_fns\": [\"remove_all_but_largest_component_from_"
                + "segmentation\", \"remove_all_but_largest_component_from_segmentation\"], \"postprocessing_kwargs\": "
                + "[{\"labels_or_regions\": [1, 2]}, {\"labels_or_regions\": 2}]}").getAsJsonObject();
        ReferencePostprocessing d = ReferencePostprocessing.read(pp, new int[] {1, 2}, "pp.json");
        assertTrue(d.largestForeground());
        assertArrayEquals(new int[] {2}, d.classes());
        JsonObject region = JsonParser.parseString("{\"postprocessing_fns\": [\"remove_all_but_largest_component_from_"
                + "segmentation\"], \"postprocessing_kwargs\": [{\"labels_or_regions\": [[1, 2]]}]}").getAsJsonObject();
        ReferenceModelException e = assertThrows(ReferenceModelException.class,
                () -> ReferencePostprocessing.read(region, new int[] {1, 2}, "pp.json"));
        assertTrue(e.getMessage().contains("pp.json") && e.getMessage().contains("region"), e.getMessage());
    }
}

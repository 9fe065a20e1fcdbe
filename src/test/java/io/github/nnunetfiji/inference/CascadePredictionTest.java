package io.github.nnunetfiji.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.Predictor;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.PreprocessedImage;
import io.github.nnunetfiji.preprocess.PreviousStageSegmentation;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.img.array.ArrayImgs;

/** Prediction with the cascade's second stage runs the first stage and feeds its upsampled segmentation. */
class CascadePredictionTest {

    /** Tiny plans with a coarser first stage and a second stage on the full-resolution grid. */
    static Plans cascadePlans() {
        Plans plans = TinyPlans.make(1, 2);
        PlanConfiguration full = plans.configuration(PlanConfiguration.CONFIG_3D_FULLRES);
        PlanConfiguration low = full.toBuilder(PlanConfiguration.CONFIG_3D_LOWRES).spacing(new double[] {2, 2, 4})
                .dataIdentifier("tiny_low").nextStage(PlanConfiguration.CONFIG_3D_CASCADE_FULLRES).build();
        PlanConfiguration second = full.toBuilder(PlanConfiguration.CONFIG_3D_CASCADE_FULLRES)
                .previousStage(PlanConfiguration.CONFIG_3D_LOWRES).build();
        return plans.withConfiguration(low).withConfiguration(second);
    }

    /** Two classes; class 1's probability is the input's second channel (the previous stage's one-hot). */
    static Predictor echoOfSecondChannel() {
        NetworkSpec spec = FakePredictors.spec(3, 2, 2);
        return new Predictor() {
            @Override
            public NetworkSpec spec() {
                return spec;
            }

            @Override
            public float[] predict(Batch b) {
                int n = (int) (b.size() * b.voxelsPerSample());
                float[] out = new float[2 * n];
                for (int v = 0; v < n; v++) {
                    out[2 * v + 1] = b.images()[2 * v + 1];
                    out[2 * v] = 1 - out[2 * v + 1];
                }
                return out;
            }

            @Override
            public void close() {
            }
        };
    }

    /** A 40 x 36 x 18 body (1) with a ball (3). */
    static Image ballImage() {
        int[] s = {40, 36, 18};
        float[] v = new float[s[0] * s[1] * s[2]];
        for (int i = 0; i < v.length; i++) {
            int x = i % s[0];
            int y = (i / s[0]) % s[1];
            int z = i / (s[0] * s[1]);
            double d = Math.pow(x - 17, 2) + Math.pow(y - 20, 2) + Math.pow(2 * (z - 9), 2);
            v[i] = d <= 64 ? 3 : 1;
        }
        return Image.of(ArrayImgs.floats(v, s[0], s[1], s[2]), Geometry.ofSpacing(1, 1, 2));
    }

    @Test
    void secondStageInputIsTheFirstStagesPredictionUpsampledToItsGrid() {
        Plans plans = cascadePlans();
        PredictionOptions options = PredictionOptions.defaults().withThreads(2).withMirror(false);
        CasePredictor first = new CasePredictor(plans, PlanConfiguration.CONFIG_3D_LOWRES,
                List.of(FakePredictors.threshold(3, 1, 1.0f)), options);
        CasePredictor second = new CasePredictor(plans, PlanConfiguration.CONFIG_3D_CASCADE_FULLRES,
                List.of(echoOfSecondChannel()), options, io.github.nnunetfiji.postprocess.PostprocessingRule.none(), first);
        Image image = ballImage();

        CasePredictor.NetworkOutput one = first.predictOnNetworkGrid(image, Progress.NONE);
        CasePredictor.NetworkOutput two = second.predictOnNetworkGrid(image, Progress.NONE);
        PreprocessedImage p1 = one.preprocessed();
        PreprocessedImage p2 = two.preprocessed();
        assertEquals(20, p1.shape()[0], "stage 1 at half the resolution");
        assertEquals(40, p2.shape()[0]);
        byte[] expected = PreviousStageSegmentation.resampledLabels(one.probabilities(), p1.shape(), p1.spacing(),
                p2.shape(), p2.spacing(), plans.configuration(PlanConfiguration.CONFIG_3D_LOWRES), 1);
        int foreground = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], two.probabilities()[1][i], 1e-5, "voxel " + i);
            foreground += expected[i];
        }
        assertTrue(foreground > 500 && foreground < expected.length / 4, "the ball, " + foreground + " voxels");
        // Through to the input's grid: the ball's labels come back.
        CasePredictor.Prediction pred = second.predict(image, Progress.NONE);
        assertEquals(image.voxelCount(), pred.labelValues().length);
    }

    @Test
    void secondStageWithoutItsFirstStageIsNamed() {
        Plans plans = cascadePlans();
        CasePredictor second = new CasePredictor(plans, PlanConfiguration.CONFIG_3D_CASCADE_FULLRES,
                List.of(echoOfSecondChannel()), PredictionOptions.defaults());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> second.predict(ballImage(), Progress.NONE));
        assertTrue(e.getMessage().contains(PlanConfiguration.CONFIG_3D_LOWRES), e.getMessage());
        // A network without the extra channel does not fit the second stage.
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> new CasePredictor(plans,
                PlanConfiguration.CONFIG_3D_CASCADE_FULLRES, List.of(FakePredictors.threshold(3, 1, 1f)),
                PredictionOptions.defaults()));
        assertTrue(wrong.getMessage().contains("previous stage"), wrong.getMessage());
    }
}

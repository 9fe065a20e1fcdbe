package io.github.nnunetfiji.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.view.Views;

/** A case that is cropped and resampled for the network comes back in the input's exact geometry. */
class CasePredictorTest {

    /** Rotated about an oblique axis and mirrored (negative determinant). */
    static Geometry obliqueFlipped(double[] spacing) {
        double a = 0.4;
        double b = 0.3;
        double[] rz = {Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1};
        double[] rx = {1, 0, 0, 0, Math.cos(b), -Math.sin(b), 0, Math.sin(b), Math.cos(b)};
        double[] flip = {-1, 0, 0, 0, 1, 0, 0, 0, 1};
        double[] d = mul(mul(rz, rx), flip);
        return new Geometry(spacing, new double[] {-12.5, 30.25, 7}, d);
    }

    private static double[] mul(double[] p, double[] q) {
        double[] r = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    r[i * 3 + j] += p[i * 3 + k] * q[k * 3 + j];
                }
            }
        }
        return r;
    }

    /**
     * A body (value 1 plus noise) with zero margins, holding a ball of value 3 off the centre;
     * returns the image and the ball as a mask.
     */
    static Object[] bodyWithBall(int[] s, double[] spacing, Geometry g) {
        float[] v = new float[s[0] * s[1] * s[2]];
        boolean[] ball = new boolean[v.length];
        Random r = new Random(3);
        double cx = s[0] * 0.6;
        double cy = s[1] * 0.45;
        double cz = s[2] * 0.5;
        double radiusMm = 7;
        for (int z = 0; z < s[2]; z++) {
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++) {
                    int i = x + s[0] * (y + s[1] * z);
                    boolean body = x >= 3 && x < s[0] - 5 && y >= 4 && y < s[1] - 2 && z >= 1 && z < s[2] - 1;
                    if (!body) {
                        continue;
                    }
                    double dx = (x - cx) * spacing[0];
                    double dy = (y - cy) * spacing[1];
                    double dz = (z - cz) * spacing[2];
                    ball[i] = dx * dx + dy * dy + dz * dz < radiusMm * radiusMm;
                    v[i] = (ball[i] ? 3 : 1) + 0.05f * (float) r.nextGaussian();
                }
            }
        }
        Image image = Image.of(ArrayImgs.floats(v, s[0], s[1], s[2]), g);
        return new Object[] {image, ball};
    }

    @Test
    void croppedAndResampledCaseComesBackInTheInputsGeometry() {
        Plans plans = TinyPlans.make(1, 2);
        double[] spacing = {0.7, 1.3, 2.9};
        int[] s = {45, 31, 13};
        Geometry g = obliqueFlipped(spacing);
        Object[] made = bodyWithBall(s, spacing, g);
        Image image = (Image) made[0];
        boolean[] ball = (boolean[]) made[1];
        for (String config : new String[] {"3d_fullres", "2d"}) {
            CasePredictor p = new CasePredictor(plans, config, List.of(FakePredictors.threshold(config.equals("2d") ? 2 : 3,
                    1, 1.5f)), PredictionOptions.defaults().withThreads(2).withProbabilities(true));
            CasePredictor.Prediction pred = p.predict(image, Progress.NONE);
            assertArrayEquals(image.shape(), pred.labels().shape());
            assertSame(g, pred.labels().geometry());
            assertArrayEquals(g.affine()[0], pred.labels().geometry().affine()[0]);
            int[] labels = FlatArrays.toInts(pred.labels().labels());
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < labels.length; i++) {
                tp += labels[i] == 1 && ball[i] ? 1 : 0;
                fp += labels[i] == 1 && !ball[i] ? 1 : 0;
                fn += labels[i] == 0 && ball[i] ? 1 : 0;
            }
            double dice = 2.0 * tp / (2 * tp + fp + fn);
            assertTrue(dice > 0.9, config + ": the ball comes back where it was, Dice " + dice);
            // Probabilities: the input's geometry, summing to 1, background outside the crop box.
            Image probs = pred.probabilities();
            assertEquals(2, probs.channelCount());
            assertSame(g, probs.geometry());
            float[] p0 = FlatArrays.toFloats(probs.channel(0));
            float[] p1 = FlatArrays.toFloats(probs.channel(1));
            for (int i = 0; i < p0.length; i++) {
                assertEquals(1f, p0[i] + p1[i], 1e-4);
            }
            assertEquals(1f, p0[0]); // a corner: outside the body, so outside the crop box
        }
    }

    @Test
    void engineNetworkFromThePlanKeepsTheGeometry() {
        Plans plans = TinyPlans.make(2, 3);
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(2));
                Network net = engine.create(new PlanNetworkAdapter().spec(plans, "3d_fullres"))) {
            double[] spacing = {1.6, 0.9, 2.0};
            int[] s = {20, 37, 9};
            Geometry g = obliqueFlipped(spacing);
            Image one = (Image) bodyWithBall(s, spacing, g)[0];
            Image image = new Image(List.of(one.channel(0), one.channel(0)), g);
            CasePredictor.Prediction pred = new CasePredictor(plans, "3d_fullres", List.of(net),
                    PredictionOptions.defaults().withThreads(2).withMirror(false)).predict(image, Progress.NONE);
            assertArrayEquals(image.shape(), pred.labels().shape());
            assertSame(g, pred.labels().geometry());
            assertEquals(0, ((IntegerType<?>) Views.flatIterable(pred.labels().labels()).firstElement()).getInteger());
            for (IntegerType<?> t : Views.flatIterable(pred.labels().labels())) {
                assertTrue(t.getInteger() >= 0 && t.getInteger() < 3);
            }
            Image wrong = one;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CasePredictor(plans,
                    "3d_fullres", List.of(net), PredictionOptions.defaults()).predict(wrong, Progress.NONE));
            assertTrue(e.getMessage().contains("1 channel(s) but the model takes 2"), e.getMessage());
            Image flat = Image.of(ArrayImgs.floats(20, 30, 1), g);
            Image flat2 = new Image(List.of(flat.channel(0), flat.channel(0)), g);
            e = assertThrows(IllegalArgumentException.class, () -> new CasePredictor(plans, "3d_fullres", List.of(net),
                    PredictionOptions.defaults()).predict(flat2, Progress.NONE));
            assertTrue(e.getMessage().contains("planned for 3D"), e.getMessage());
        }
    }
}

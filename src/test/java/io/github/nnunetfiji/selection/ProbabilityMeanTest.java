package io.github.nnunetfiji.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.inference.ProbabilityMean;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/** An ensemble is the mean of its members' probabilities, then the most probable class. */
class ProbabilityMeanTest {

    static Image probabilities(long[] shape, float[]... perClass) {
        List<ArrayImg<FloatType, FloatArray>> channels = new ArrayList<>();
        for (float[] c : perClass) {
            channels.add(ArrayImgs.floats(c.clone(), shape));
        }
        return new Image(channels, Geometry.ofSpacing(0.5, 0.5, 2));
    }

    @Test
    void theMeanOfTheMembersDecides() {
        long[] shape = {4, 1, 1};
        Image a = probabilities(shape, new float[] {0.9f, 0.2f, 0.5f, 0.1f}, new float[] {0.1f, 0.8f, 0.5f, 0.9f});
        Image b = probabilities(shape, new float[] {0.3f, 0.9f, 0.5f, 0.6f}, new float[] {0.7f, 0.1f, 0.5f, 0.4f});
        ProbabilityMean m = new ProbabilityMean();
        m.add(a);
        m.add(b);
        assertEquals(2, m.members());
        Image mean = m.mean();
        float[] fg = new float[4];
        int i = 0;
        for (FloatType v : Views.flatIterable((ArrayImg<FloatType, FloatArray>) mean.channel(1))) {
            fg[i++] = v.get();
        }
        assertArrayEquals(new float[] {0.4f, 0.45f, 0.5f, 0.65f}, fg, 1e-6f);
        // 0: 0.6 vs 0.4, 1: 0.55 vs 0.45, 2: a tie goes to the lower class, 3: 0.35 vs 0.65
        assertArrayEquals(new byte[] {0, 0, 0, 1}, m.labelValues());
        assertEquals(a.geometry(), m.labels().geometry());
        assertArrayEquals(shape, m.labels().shape());
    }

    @Test
    void membersOfAnotherGridOrOtherClassesAreRefused() {
        ProbabilityMean m = new ProbabilityMean();
        m.add(probabilities(new long[] {2, 1, 1}, new float[] {1, 0}, new float[] {0, 1}));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> m.add(probabilities(new long[] {1, 2, 1}, new float[] {1, 0}, new float[] {0, 1})));
        assertTrue(shape.getMessage().contains("same image"), shape.getMessage());
        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
                () -> m.add(probabilities(new long[] {2, 1, 1}, new float[] {1, 0})));
        assertTrue(classes.getMessage().contains("same labels"), classes.getMessage());
        assertThrows(IllegalStateException.class, () -> new ProbabilityMean().labelValues());
    }
}

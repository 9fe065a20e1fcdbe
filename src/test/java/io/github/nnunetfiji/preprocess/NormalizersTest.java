package io.github.nnunetfiji.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

class NormalizersTest {

    private static double[] meanStd(float[] d, boolean[] mask) {
        double s = 0;
        double ss = 0;
        int n = 0;
        for (int i = 0; i < d.length; i++) {
            if (mask == null || mask[i]) {
                s += d[i];
                ss += d[i] * (double) d[i];
                n++;
            }
        }
        double m = s / n;
        return new double[] {m, Math.sqrt(ss / n - m * m)};
    }

    @Test
    void zScoreGivesMeanZeroStdOne() {
        Random r = new Random(1);
        float[] d = new float[10000];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (300 + 40 * r.nextGaussian());
        }
        Normalizers.zScore(d, null);
        double[] ms = meanStd(d, null);
        assertEquals(0, ms[0], 1e-5);
        assertEquals(1, ms[1], 1e-5);
    }

    @Test
    void maskedZScoreUsesInsideStatisticsAndZeroesOutside() {
        float[] d = {0, 0, 2, 4, 6, 0};
        boolean[] mask = {false, false, true, true, true, false};
        Normalizers.zScore(d, mask);
        double std = Math.sqrt(8.0 / 3); // of 2, 4, 6
        assertArrayEquals(new float[] {0, 0, (float) (-2 / std), 0, (float) (2 / std), 0}, d, 1e-6f);
        double[] ms = meanStd(d, mask);
        assertEquals(0, ms[0], 1e-6);
        assertEquals(1, ms[1], 1e-6);
    }

    @Test
    void constantImageGivesZerosNotNaN() {
        float[] d = {5, 5, 5};
        Normalizers.zScore(d, null);
        assertArrayEquals(new float[] {0, 0, 0}, d);
    }

    @Test
    void ctClipsToPercentilesThenScales() {
        float[] d = {-2000, -100, 0, 50, 3000};
        Normalizers.ct(d, 50, 100, -1000, 1500);
        assertArrayEquals(new float[] {-10.5f, -1.5f, -0.5f, 0f, 14.5f}, d, 1e-6f);
    }
}

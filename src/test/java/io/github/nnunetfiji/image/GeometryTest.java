package io.github.nnunetfiji.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GeometryTest {

    @Test
    void affineRoundTripKeepsFlipsSpacingAndOrigin() {
        // The BraTS affine as nibabel reports it: x and y flipped, 1 mm, origin (0, 239, 0).
        double[][] a = {{-1, 0, 0, 0}, {0, -1, 0, 239}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        Geometry g = Geometry.fromAffine(a);
        assertArrayEquals(new double[] {1, 1, 1}, g.spacing());
        assertArrayEquals(new double[] {0, 239, 0}, g.origin());
        assertArrayEquals(new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1}, g.direction());
        double[][] back = g.affine();
        for (int r = 0; r < 4; r++) {
            assertArrayEquals(a[r], back[r], 1e-12);
        }
    }

    @Test
    void anisotropicObliqueAffine() {
        double c = Math.cos(0.3);
        double s = Math.sin(0.3);
        // Column d = direction of axis d times its spacing (0.5, 0.7, 3.6).
        double[][] a = {{c * 0.5, -s * 0.7, 0, 10}, {s * 0.5, c * 0.7, 0, -5}, {0, 0, 3.6, 2}, {0, 0, 0, 1}};
        Geometry g = Geometry.fromAffine(a);
        assertArrayEquals(new double[] {0.5, 0.7, 3.6}, g.spacing(), 1e-12);
        assertEquals(c, g.direction()[0], 1e-12);
        assertEquals(s, g.direction()[3], 1e-12);
        assertEquals(0, g.spacingDifference(Geometry.fromAffine(g.affine())), 1e-12);
    }

    @Test
    void rejectsNonPositiveSpacing() {
        assertThrows(IllegalArgumentException.class, () -> Geometry.ofSpacing(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Geometry.ofSpacing(1, Double.NaN, 1));
    }

    @Test
    void formatsInAxisOrder() {
        assertEquals("512x256x1", AxisOrder.format(new long[] {512, 256, 1}));
        assertEquals("0.5x0.75x3.6", AxisOrder.format(new double[] {0.5, 0.75, 3.6}));
    }
}

package io.github.nnunetfiji.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.util.NotEnoughMemoryException;
import net.imglib2.img.array.ArrayImgs;

/**
 * Before a case is segmented, its estimated peak (the image, its channels at the network's spacing,
 * a probability per class there and the tile weights) is checked against what Java may use; a case
 * that cannot fit is refused with the figures instead of ending in an OutOfMemoryError.
 */
class PredictionMemoryCheckTest {

    @Test
    void aCaseThatCannotFitIsRefusedWithItsFigures() {
        Plans plans = TinyPlans.make(1, 2);
        CasePredictor p = new CasePredictor(plans, "3d_fullres", List.of(FakePredictors.threshold(3, 1, 1.5f)),
                PredictionOptions.defaults().withThreads(1));
        double[] spacing = plans.configuration("3d_fullres").spacing();
        Image image = Image.of(ArrayImgs.floats(40, 30, 20), Geometry.ofSpacing(spacing));
        // At the network's own spacing: 24000 voxels, 4 bytes for the image, the channel, 2 classes and the weights.
        long needed = 4L * (24000 + 4 * 24000);
        p.checkMemory(image, needed);
        NotEnoughMemoryException e = assertThrows(NotEnoughMemoryException.class, () -> p.checkMemory(image, needed - 1));
        assertEquals(needed, e.neededBytes());
        assertTrue(e.getMessage().contains("Segmenting this 40x30x20 image") && e.getMessage().contains("give Java"
                + " more memory"), e.getMessage());

        // A spacing twice as fine on each axis means 8 times the voxels at the network's spacing.
        Image fine = Image.of(ArrayImgs.floats(40, 30, 20), Geometry.ofSpacing(spacing[0] * 2, spacing[1] * 2,
                spacing[2] * 2));
        NotEnoughMemoryException f = assertThrows(NotEnoughMemoryException.class, () -> p.checkMemory(fine, needed * 2));
        assertEquals(4L * (24000 + 4 * 8 * 24000), f.neededBytes());
    }
}

package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.view.Views;

/**
 * Evaluating against a data set's label folder: a map holding a label its dataset.json does not
 * declare is refused, naming the file and the label (before, it was scored as a class of its own).
 */
class EvaluateUndeclaredLabelsTest {

    @TempDir
    Path tmp;

    @Test
    void aPredictionWithAnUndeclaredLabelIsRefused() throws Exception {
        Path ds = TestData.copy(TestData.isbiMini(), tmp.resolve("Task100_ISBI2012EM_mini"));
        Path references = ds.resolve("labelsTr");
        Path predictions = TestData.copy(references, tmp.resolve("pred"));
        EvaluateStage.Result ok = new EvaluateStage().run(new EvaluateStage.Request(predictions, references, List.of(),
                null, 2), Progress.NONE);
        assertEquals(1.0, ok.summary().foregroundDice(), 1e-12);

        Path bad = predictions.resolve("isbi_002.nii.gz");
        Image labels = ImageIO.read(bad);
        ArrayImg<IntType, IntArray> copy = ArrayImgs.ints(labels.shape());
        Cursor<? extends RealType<?>> in = Views.flatIterable(labels.channel(0)).cursor();
        Cursor<IntType> out = copy.cursor();
        while (in.hasNext()) {
            out.next().set((int) in.next().getRealDouble());
        }
        copy.update(null).getCurrentStorageArray()[10] = 5;
        ImageIO.write(Image.of(copy, labels.geometry()), bad);
        Files.delete(predictions.resolve("summary.json"));
        IOException e = assertThrows(IOException.class, () -> new EvaluateStage().run(new EvaluateStage.Request(
                predictions, references, List.of(), null, 2), Progress.NONE));
        assertTrue(e.getMessage().contains("isbi_002.nii.gz") && e.getMessage().contains("holds label 5")
                && e.getMessage().contains("dataset.json"), e.getMessage());
        assertFalse(Files.exists(predictions.resolve("summary.json")), "nothing written");
    }
}

package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.testutil.TestStages;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;

/** One case in memory gives exactly what the file-based stage stores, and predictions go back to the original grid. */
class CaseStageTest {

    @TempDir
    Path tmp;

    @Test
    void anInMemoryCaseEqualsTheStoredCaseAndItsLabelsComeBackExactly() throws Exception {
        Dataset ds = DatasetLoader.load(TestData.bratsMini());
        WorkFolder work = new WorkFolder(tmp);
        Plans plans = TestStages.plan(ds, work, "paper");
        String config = PlanConfiguration.CONFIG_3D_FULLRES;
        TestStages.preprocess(ds, plans, List.of(config), work, 2);
        Path dir = work.forDataset(ds).preprocessedDir(plans.configuration(config).dataIdentifier());

        CaseEntry ce = ds.cases().get(1);
        Image read = ce.readImage();
        // Cell images, not arrays: the in-memory path must copy them through FlatArrays, not share.
        List<RandomAccessibleInterval<FloatType>> channels = new ArrayList<>();
        for (RandomAccessibleInterval<? extends RealType<?>> ch : read.channels()) {
            channels.add(cellCopy(ch));
        }
        Image image = new Image(channels, read.geometry());
        LabelImage labels = ce.readLabel();
        CaseStage stage = new CaseStage(plans, config, 2);
        CaseStage.Preprocessed p = stage.preprocess(ce.id(), image, labels);

        // Byte for byte what the file-based stage stored: header, voxels, labels.
        assertEquals(Files.readString(PreprocessedCase.headerFile(dir, ce.id())), Json.toJson(p.header()) + "\n");
        assertArrayEquals(Files.readAllBytes(PreprocessedCase.imageFile(dir, ce.id())), littleEndian(p.networkInput()));
        byte[] seg = new byte[FlatArrays.size(p.labels())];
        int i = 0;
        for (var v : net.imglib2.view.Views.flatIterable(p.labels())) {
            seg[i++] = v.get();
        }
        assertArrayEquals(Files.readAllBytes(PreprocessedCase.labelFile(dir, ce.id())), seg);

        // Channels and spacing alone give the same network input.
        CaseStage.Preprocessed q = stage.preprocess(channels, read.geometry().spacing());
        assertArrayEquals(littleEndian(p.networkInput()), littleEndian(q.networkInput()));

        // The inverse: one-hot labels as "probabilities" at the network's grid come back as the original labels.
        int classes = 5;
        List<RandomAccessibleInterval<FloatType>> oneHot = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            float[] f = new float[seg.length];
            for (int v = 0; v < seg.length; v++) {
                f[v] = seg[v] == k ? 1 : 0;
            }
            oneHot.add(FlatArrays.floatView(f, p.header().shape()));
        }
        CaseStage.Restored r = stage.restore(oneHot, p, true, Progress.NONE);
        assertArrayEquals(labels.shape(), r.labels().shape());
        assertArrayEquals(FlatArrays.toInts(labels.labels()), FlatArrays.toInts(r.labels().labels()));
        assertEquals(read.geometry(), r.labels().geometry());
        assertEquals(classes, r.probabilities().size());
        assertTrue(p.header().shape()[0] < labels.shape()[0], "the case was cropped, so uncropping was exercised");
    }

    @Test
    void aFloatArrayImageIsReadWithoutACopyAndLeftUnchanged() throws Exception {
        Dataset ds = DatasetLoader.load(TestData.bratsMini());
        Plans plans = TestStages.plan(ds, new WorkFolder(tmp), "paper");
        Image read = ds.cases().get(0).readImage();
        List<RandomAccessibleInterval<FloatType>> arrays = new ArrayList<>();
        for (RandomAccessibleInterval<? extends RealType<?>> ch : read.channels()) {
            arrays.add(FlatArrays.floatView(FlatArrays.toFloats(ch), FlatArrays.shape(ch)));
        }
        float[] before = FlatArrays.toFloats(arrays.get(0));
        assertTrue(FlatArrays.floatsSharing(arrays.get(0)) != before, "toFloats copies");
        CaseStage.Preprocessed p = new CaseStage(plans, PlanConfiguration.CONFIG_3D_FULLRES, 1).preprocess(arrays,
                read.geometry().spacing());
        assertArrayEquals(before, FlatArrays.floatsSharing(arrays.get(0)), "the input is not changed");
        assertNotSame(FlatArrays.floatsSharing(arrays.get(0)), FlatArrays.floatsSharing(p.networkInput().get(0)));
    }

    private static RandomAccessibleInterval<FloatType> cellCopy(RandomAccessibleInterval<? extends RealType<?>> src) {
        var img = new CellImgFactory<>(new FloatType(), 16).create(src);
        LoopBuilder.setImages(src, img).forEachPixel((a, b) -> b.setReal(a.getRealDouble()));
        return img;
    }

    private static byte[] littleEndian(List<RandomAccessibleInterval<FloatType>> channels) {
        int n = FlatArrays.size(channels.get(0));
        ByteBuffer bb = ByteBuffer.allocate(4 * n * channels.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (RandomAccessibleInterval<FloatType> ch : channels) {
            for (float f : FlatArrays.floatsSharing(ch)) {
                bb.putFloat(f);
            }
        }
        return bb.array();
    }
}

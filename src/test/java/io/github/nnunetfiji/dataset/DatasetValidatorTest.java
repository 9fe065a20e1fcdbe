package io.github.nnunetfiji.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.dataset.DatasetDescription.Form;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.Progress;

/** Summaries of valid data sets, with answers checked independently with nibabel. */
class DatasetValidatorTest {

    private static DatasetSummary valid(Path folder) {
        ValidationReport r = new DatasetValidator(2).validate(folder, Progress.NONE);
        assertTrue(r.isValid(), r.toText());
        return r.summary();
    }

    @Test
    void bundledIsbiInDecathlonForm() throws Exception {
        Dataset ds = DatasetLoader.load(TestData.isbiMini());
        assertEquals(Form.DECATHLON, ds.description().form());
        assertEquals(5, ds.cases().size());
        assertEquals("isbi_000", ds.cases().get(0).id());
        DatasetSummary s = valid(TestData.isbiMini());
        assertArrayEquals(new long[] {512, 512, 1}, s.shapeMax());
        assertEquals(List.of("EM"), s.channelNames());
        assertEquals(Map.of(0, 5, 1, 5), s.casesWithLabel());
    }

    @Test
    void bundledBratsInChannelFilesForm() throws Exception {
        Dataset ds = DatasetLoader.load(TestData.bratsMini());
        assertEquals(Form.CHANNEL_FILES, ds.description().form());
        assertEquals(List.of("BRATS_0001", "BRATS_0002", "BRATS_0003"), ds.cases().stream().map(CaseEntry::id).toList());
        assertEquals(2, ds.cases().get(0).imageFiles().size());
        assertEquals("enhancing tumor", ds.description().labels().get(4));
        DatasetSummary s = valid(TestData.bratsMini());
        // Shapes (x, y, z) of the three cases as nibabel reads them: 49x63x48, 51x62x50, 53x58x51.
        assertArrayEquals(new long[] {49, 58, 48}, s.shapeMin());
        assertArrayEquals(new double[] {51, 62, 50}, s.shapeMedian());
        assertArrayEquals(new long[] {53, 63, 51}, s.shapeMax());
        assertArrayEquals(new double[] {3, 3, 3}, s.spacingMedian(), 1e-6);
        assertEquals(Map.of(0, 3, 1, 3, 2, 3, 3, 3, 4, 3), s.casesWithLabel());
    }

    @Test
    void sharedBratsSubset() {
        DatasetSummary s = valid(TestData.shared("Task01_BrainTumour_DeepMedicSubset"));
        assertEquals(6, s.cases());
        assertEquals(List.of("FLAIR", "T1c"), s.channelNames());
        assertArrayEquals(new long[] {240, 240, 155}, s.shapeMin());
        assertArrayEquals(new long[] {240, 240, 155}, s.shapeMax());
        assertArrayEquals(new double[] {1, 1, 1}, s.spacingMedian(), 1e-9);
        assertEquals(List.of("FloatType"), s.pixelTypes());
        assertEquals(Map.of(0, 6, 1, 6, 2, 6, 3, 6, 4, 6), s.casesWithLabel());
    }

    @Test
    void sharedIsbi() {
        DatasetSummary s = valid(TestData.shared("Task100_ISBI2012EM"));
        assertEquals(30, s.cases());
        assertArrayEquals(new long[] {512, 512, 1}, s.shapeMin());
        assertEquals(List.of("UnsignedByteType"), s.pixelTypes());
        assertEquals(Map.of(0, 30, 1, 30), s.casesWithLabel());
        assertTrue(s.toText().contains("membrane"), s.toText());
    }
}

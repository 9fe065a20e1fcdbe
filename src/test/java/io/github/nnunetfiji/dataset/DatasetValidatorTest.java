package io.github.nnunetfiji.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.nnunetfiji.dataset.DatasetDescription.Form;
import io.github.nnunetfiji.testutil.Nibabel;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.Progress;

/**
 * Summaries of valid data sets: the bundled and shared sets with their known figures, and the
 * bundled sets' shapes, spacings and label counts recomputed independently with nibabel.
 */
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

    /**
     * nibabel reads every case of a data set and numpy summarises it: shape range and median (x, y, z,
     * nibabel's array order), median of the header's voxel sizes, and per label value the number of
     * cases whose label map holds it. The summary must say the same.
     */
    @ParameterizedTest
    @ValueSource(strings = {"Task01_BrainTumour_mini", "Task100_ISBI2012EM_mini"})
    void summaryAgreesWithNibabel(String name) throws Exception {
        Nibabel.assumeAvailable();
        Path folder = TestData.bundled(name);
        Dataset ds = DatasetLoader.load(folder);
        StringBuilder files = new StringBuilder();
        for (CaseEntry c : ds.cases()) {
            files.append(c.imageFiles().get(0)).append('\n').append(c.labelFile()).append('\n');
        }
        Path list = Files.createTempFile("nnunet-cases", ".txt");
        String out;
        try {
            Files.writeString(list, files.toString());
            out = Nibabel.run("""
                    import sys, json, nibabel as nib, numpy as np
                    lines = open(sys.argv[1]).read().split()
                    shapes, spacings, present = [], [], {}
                    for image, label in zip(lines[0::2], lines[1::2]):
                        img = nib.load(image)
                        shapes.append(img.shape[:3])
                        spacings.append(img.header.get_zooms()[:3])
                        for v in np.unique(np.asanyarray(nib.load(label).dataobj)):
                            present[int(v)] = present.get(int(v), 0) + 1
                    shapes, spacings = np.array(shapes, float), np.array(spacings, float)
                    print(json.dumps({"min": shapes.min(0).tolist(), "max": shapes.max(0).tolist(),
                                      "median": np.median(shapes, 0).tolist(),
                                      "spacing": np.median(spacings, 0).tolist(),
                                      "present": {str(k): v for k, v in present.items()}}))
                    """, list.toString());
        } finally {
            Files.deleteIfExists(list);
        }
        JsonObject nib = JsonParser.parseString(out.lines().filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new AssertionError("no output from nibabel:\n" + out))).getAsJsonObject();
        DatasetSummary s = valid(folder);
        for (int d = 0; d < 3; d++) {
            assertEquals(nib.getAsJsonArray("min").get(d).getAsLong(), s.shapeMin()[d], "shape min, axis " + d);
            assertEquals(nib.getAsJsonArray("max").get(d).getAsLong(), s.shapeMax()[d], "shape max, axis " + d);
            assertEquals(nib.getAsJsonArray("median").get(d).getAsDouble(), s.shapeMedian()[d], 0,
                    "shape median, axis " + d);
            assertEquals(nib.getAsJsonArray("spacing").get(d).getAsDouble(), s.spacingMedian()[d], 1e-5,
                    "spacing median, axis " + d);
        }
        Map<Integer, Integer> withLabel = new TreeMap<>();
        for (int v : ds.description().labels().keySet()) {
            JsonObject present = nib.getAsJsonObject("present");
            withLabel.put(v, present.has("" + v) ? present.get("" + v).getAsInt() : 0);
        }
        assertEquals(withLabel, s.casesWithLabel());
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

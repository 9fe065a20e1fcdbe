package io.github.nnunetfiji.fingerprint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.cli.CliWording;

class DatasetFingerprintTest {

    private static CaseFingerprint box(String id, long[] shape, long[] min, long[] max, double[] spacing) {
        return new CaseFingerprint(id, shape, spacing, min, max, new int[] {0, 1},
                List.of(new ClassComponents(1, new long[] {5, 20})), 25);
    }

    static DatasetFingerprint fourCases() {
        TreeMap<Integer, String> labels = new TreeMap<>();
        labels.put(0, "background");
        labels.put(1, "tumour");
        List<CaseFingerprint> cases = List.of(
                box("a", new long[] {10, 10, 10}, new long[] {0, 0, 0}, new long[] {10, 10, 10}, new double[] {1, 1, 2}),
                box("b", new long[] {20, 10, 10}, new long[] {5, 0, 0}, new long[] {15, 10, 10}, new double[] {1, 1, 3}),
                box("c", new long[] {10, 30, 10}, new long[] {0, 0, 0}, new long[] {10, 15, 10}, new double[] {2, 1, 4}),
                box("d", new long[] {10, 10, 40}, new long[] {0, 0, 0}, new long[] {10, 10, 10}, new double[] {1, 1, 5}));
        List<ChannelIntensityStatistics> stats = List.of(
                ChannelIntensityStatistics.ofSample(0, "MR", new float[] {1, 2, 3}, 3));
        return new DatasetFingerprint("Four", List.of("MR"), labels, cases, stats, 1234, 100);
    }

    @Test
    void mediansAndCropRatios() {
        DatasetFingerprint fp = fourCases();
        // Shapes x: 10, 20, 10, 10 -> 10; y: 10, 10, 30, 10 -> 10; z: 10, 10, 10, 40 -> 10.
        assertArrayEquals(new double[] {10, 10, 10}, fp.medianShape(), 1e-12);
        // After crop every case is 10x10x10 except c (10x15x10): y median (10, 10, 15, 10) = 10.
        assertArrayEquals(new double[] {10, 10, 10}, fp.medianShapeAfterCrop(), 1e-12);
        // Spacing z: 2, 3, 4, 5 -> 3.5 (mean of the middle two).
        assertArrayEquals(new double[] {1, 1, 3.5}, fp.medianSpacing(), 1e-12);
        // Relative sizes 1, 0.5, 0.5, 0.25 -> median 0.5; voxels after / before 4,500 / 10,000 = 0.45.
        assertEquals(0.5, fp.medianRelativeSizeAfterCrop(), 1e-12);
        assertEquals(0.45, fp.meanSizeRatioAfterCrop(), 1e-12);
        assertFalse(fp.isTwoDimensional());
        assertEquals(2, fp.classCount());
        assertEquals(6, fp.componentConnectivity());
        assertArrayEquals(new long[] {10, 15, 10}, fp.cases().get(2).shapeAfterCrop());
    }

    @Test
    void roundTripsThroughJson(@TempDir Path dir) throws IOException {
        DatasetFingerprint fp = fourCases();
        Path file = dir.resolve("dataset_fingerprint.json");
        fp.write(file);
        DatasetFingerprint back = DatasetFingerprint.read(file);
        assertEquals(Files.readString(file).trim(), io.github.nnunetfiji.util.Json.toJson(back).trim());
        assertEquals(fp.labels(), back.labels());
        assertArrayEquals(new long[] {20, 5}, back.cases().get(0).components().get(0).sizes());
        assertEquals(fp.meanSizeRatioAfterCrop(), back.meanSizeRatioAfterCrop());
    }

    @Test
    void otherFormatIsRejectedWithTheFix(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("dataset_fingerprint.json");
        Files.writeString(file, "{\"format\": 2}");
        IOException e = assertThrows(IOException.class, () -> DatasetFingerprint.read(file));
        // The fix names the stage; each surface words it (the command line as the command to type).
        assertTrue(e.getMessage().contains("run the fingerprint stage again"), e.getMessage());
        String cli = CliWording.of("plan").describe(e);
        assertTrue(cli.contains("run 'nnunet fingerprint DATASET' again"), cli);
    }
}

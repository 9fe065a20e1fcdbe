package io.github.nnunetfiji.fingerprint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.testutil.Nibabel;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Progress;

class FingerprintExtractorTest {

    /**
     * The same fingerprint computed independently with nibabel, numpy and scipy: crop box of the
     * nonzero voxels of all channels, labels present, face-connected components per class
     * ({@code ndimage.label}'s default), and the foreground intensity statistics with every case
     * weighted equally: exact moments, percentiles from frequency weights (s / n_k per voxel of case
     * k, s the reference's draws per case), and the reference's own procedure (the same number of
     * draws with replacement from every case) for a check of the definition.
     */
    private static final String REFERENCE = """
            import sys, json
            import numpy as np, nibabel as nib
            from scipy import ndimage
            out = []
            fg = None
            for arg in sys.argv[1:]:
                files = arg.split(';')
                lab = np.asarray(nib.load(files[0]).dataobj)
                chans = []
                for f in files[1:]:
                    d = np.asarray(nib.load(f).dataobj)
                    chans += [d] if d.ndim == 3 else [d[..., i] for i in range(d.shape[3])]
                nz = np.zeros(lab.shape, bool)
                for c in chans:
                    nz |= c != 0
                idx = np.argwhere(nz)
                box = [idx.min(0).tolist(), (idx.max(0) + 1).tolist()]
                comps = {}
                for v in np.unique(lab):
                    if v > 0:
                        l, n = ndimage.label(lab == v)
                        comps[int(v)] = sorted(np.bincount(l.ravel())[1:].tolist(), reverse=True)
                if fg is None:
                    fg = [[] for _ in chans]
                for i, c in enumerate(chans):
                    fg[i].append(c[lab > 0].astype(np.float64))
                out.append({'shape': list(lab.shape), 'box': box, 'labels': np.unique(lab).tolist(), 'comps': comps})
            stats = []
            s = np.floor(1e8 / len(fg[0]))
            rs = np.random.RandomState(1234)
            for ch in fg:
                cases = [a for a in ch if len(a) > 0]
                means = np.array([a.mean() for a in cases])
                mean = means.mean()
                std = np.sqrt(np.mean([a.var() + (a.mean() - mean) ** 2 for a in cases]))
                v = np.concatenate(cases)
                w = np.concatenate([np.full(len(a), s / len(a)) for a in cases])
                order = np.argsort(v, kind='stable')
                v, cw = v[order], np.cumsum(w[order])
                def at(r):
                    return v[min(np.searchsorted(cw, r, side='right'), len(v) - 1)]
                def pct(p):
                    pos = p / 100 * (s * len(cases) - 1)
                    lo = np.floor(pos)
                    return at(lo) + (at(lo + 1) - at(lo)) * (pos - lo)
                drawn = np.concatenate([rs.choice(a, 1000000, replace=True) for a in cases])
                pooled = np.concatenate(cases)
                stats.append([mean, pct(50), std, v.min(), v.max(), pct(0.5), pct(99.5), len(v),
                              np.mean(drawn), np.percentile(drawn, 50), np.std(drawn), np.percentile(drawn, 0.5),
                              np.percentile(drawn, 99.5), pooled.mean(), pooled.std()])
            print(json.dumps({'cases': out, 'stats': stats}))
            """;

    @Test
    void agreesWithNumpyAndScipyOnTheBrainTumourMiniSet() throws Exception {
        Nibabel.assumeAvailable();
        Dataset ds = DatasetLoader.load(TestData.bratsMini());
        DatasetFingerprint fp = new FingerprintExtractor(2).extract(ds, Progress.NONE);

        List<String> args = new ArrayList<>();
        for (CaseEntry c : ds.cases()) {
            StringBuilder sb = new StringBuilder(c.labelFile().toString());
            c.imageFiles().forEach(f -> sb.append(';').append(f));
            args.add(sb.toString());
        }
        JsonObject ref = JsonParser.parseString(Nibabel.run(REFERENCE, args.toArray(new String[0])).trim())
                .getAsJsonObject();
        JsonArray cases = ref.getAsJsonArray("cases");
        assertEquals(cases.size(), fp.numberOfCases());
        for (int i = 0; i < cases.size(); i++) {
            JsonObject r = cases.get(i).getAsJsonObject();
            CaseFingerprint c = fp.cases().get(i);
            assertArrayEquals(longs(r.getAsJsonArray("shape")), c.shape());
            JsonArray box = r.getAsJsonArray("box");
            assertArrayEquals(longs(box.get(0).getAsJsonArray()), c.cropMin(), c.id());
            assertArrayEquals(longs(box.get(1).getAsJsonArray()), c.cropMaxExclusive(), c.id());
            assertArrayEquals(Arrays.stream(longs(r.getAsJsonArray("labels"))).mapToInt(v -> (int) v).toArray(),
                    c.labelsPresent(), c.id());
            JsonObject comps = r.getAsJsonObject("comps");
            assertEquals(comps.size(), c.components().size(), c.id());
            for (ClassComponents cc : c.components()) {
                assertArrayEquals(longs(comps.getAsJsonArray(Integer.toString(cc.label()))), cc.sizes(),
                        c.id() + " class " + cc.label());
            }
        }
        JsonArray stats = ref.getAsJsonArray("stats");
        for (int ch = 0; ch < stats.size(); ch++) {
            JsonArray s = stats.get(ch).getAsJsonArray();
            ChannelIntensityStatistics st = fp.foregroundIntensity().get(ch);
            // Every foreground voxel fits the sample budget: the statistics are exact.
            assertEquals(s.get(7).getAsLong(), st.sampleCount());
            assertEquals(s.get(7).getAsLong(), st.foregroundVoxels());
            assertEquals(3, st.casesWithForeground());
            double[] expected = new double[7];
            for (int k = 0; k < 7; k++) {
                expected[k] = s.get(k).getAsDouble();
            }
            double[] actual = {st.mean(), st.median(), st.std(), st.min(), st.max(), st.percentile00_5(),
                    st.percentile99_5()};
            assertArrayEquals(expected, actual, 1e-6, "channel " + ch);
            // The reference's own random draw lands within its sampling noise of the same numbers.
            double[] drawn = {s.get(8).getAsDouble(), s.get(9).getAsDouble(), s.get(10).getAsDouble(),
                    s.get(11).getAsDouble(), s.get(12).getAsDouble()};
            double[] ours = {st.mean(), st.median(), st.std(), st.percentile00_5(), st.percentile99_5()};
            assertArrayEquals(drawn, ours, 0.01 * st.std(), "channel " + ch + " against the reference's draw");
            assertEquals(s.get(13).getAsDouble(), st.pooledMean(), 1e-6);
            assertEquals(s.get(14).getAsDouble(), st.pooledStd(), 1e-6);
            // The cases' foreground sizes differ (4141, 2335, 6439 voxels): pooling would be visibly off.
            assertTrue(Math.abs(st.pooledMean() - st.mean()) > 0.02 * st.std(), "channel " + ch);
        }
        assertEquals(List.of("FLAIR", "T1c"), fp.channelNames());
        assertEquals(5, fp.classCount());
    }

    private static Dataset load(Path folder) {
        try {
            return DatasetLoader.load(folder);
        } catch (DatasetException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long[] longs(JsonArray a) {
        long[] v = new long[a.size()];
        int i = 0;
        for (JsonElement e : a) {
            v[i++] = e.getAsLong();
        }
        return v;
    }

    @Test
    void sameResultForAnyNumberOfThreads(@TempDir Path tmp) throws IOException {
        Dataset ds = load(TestData.bratsMini());
        String one = Json.toJson(new FingerprintExtractor(1).extract(ds, Progress.NONE));
        String three = Json.toJson(new FingerprintExtractor(3).extract(ds, Progress.NONE));
        assertEquals(one, three);
    }

    @Test
    void sampleIsSeededAndWithoutRepetition() {
        int[] all = new int[1000];
        for (int i = 0; i < all.length; i++) {
            all[i] = i * 3;
        }
        int[] a = FingerprintExtractor.sample(all.clone(), 100, new SplittableRandom(5));
        int[] b = FingerprintExtractor.sample(all.clone(), 100, new SplittableRandom(5));
        int[] c = FingerprintExtractor.sample(all.clone(), 100, new SplittableRandom(6));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertEquals(100, Arrays.stream(a).distinct().count());
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i - 1] < a[i]);
        }
        assertTrue(Arrays.stream(a).allMatch(v -> v % 3 == 0));
        // Fewer candidates than asked: all of them.
        assertEquals(10, FingerprintExtractor.sample(Arrays.copyOf(all, 10), 100, new SplittableRandom(5)).length);
    }

    @Test
    void smallBudgetSamplesEachCaseAndStaysCloseToTheExactStatistics() throws IOException {
        Dataset ds = load(TestData.bratsMini());
        DatasetFingerprint exact = new FingerprintExtractor(2).extract(ds, Progress.NONE);
        DatasetFingerprint sampled = new FingerprintExtractor(2, FingerprintExtractor.DEFAULT_SEED, 2000)
                .extract(ds, Progress.NONE);
        for (int c = 0; c < 2; c++) {
            ChannelIntensityStatistics e = exact.foregroundIntensity().get(c);
            ChannelIntensityStatistics s = sampled.foregroundIntensity().get(c);
            assertTrue(e.sampleCount() > 6000, "exact uses every foreground voxel: " + e.sampleCount());
            assertEquals(3 * 2000, s.sampleCount(), "2000 from each case");
            // Moments and range use every voxel either way; only the percentiles are sampled.
            assertEquals(e.mean(), s.mean(), 1e-9);
            assertEquals(e.std(), s.std(), 1e-9);
            assertEquals(e.max(), s.max(), 0);
            assertEquals(e.median(), s.median(), 0.05 * e.std());
            assertEquals(e.percentile99_5(), s.percentile99_5(), 0.2 * e.std());
        }
    }

    @Test
    void noForegroundInAnyCaseIsAnInputProblem(@TempDir Path tmp) throws IOException {
        Dataset ds = load(TestData.copy(TestData.bratsMini(), tmp.resolve("empty")));
        TestData.relabel(ds, v -> 0);
        NoForegroundException e = assertThrows(NoForegroundException.class,
                () -> new FingerprintExtractor(2).extract(ds, Progress.NONE));
        assertTrue(e.getMessage().contains("labelsTr") && e.getMessage().contains("Fix:"), e.getMessage());
    }

    @Test
    void casesWithoutForegroundDoNotCount(@TempDir Path tmp) throws IOException {
        Dataset all = load(TestData.bratsMini());
        Dataset ds = load(TestData.copy(TestData.bratsMini(), tmp.resolve("one-empty")));
        // Blank the second case only: the statistics are those of cases 1 and 3, weighted equally.
        TestData.relabel(new Dataset(ds.root(), ds.description(), List.of(ds.cases().get(1)), List.of()), v -> 0);
        DatasetFingerprint fp = new FingerprintExtractor(2).extract(ds, Progress.NONE);
        Dataset only13 = new Dataset(all.root(), all.description(), List.of(all.cases().get(0), all.cases().get(2)),
                List.of());
        DatasetFingerprint ref = new FingerprintExtractor(2).extract(only13, Progress.NONE);
        for (int c = 0; c < 2; c++) {
            ChannelIntensityStatistics a = fp.foregroundIntensity().get(c);
            ChannelIntensityStatistics b = ref.foregroundIntensity().get(c);
            assertEquals(2, a.casesWithForeground());
            assertEquals(b.mean(), a.mean(), 1e-12);
            assertEquals(b.std(), a.std(), 1e-12);
            // The reference draws 10^8 / cases per case, so the rank scale differs by a third: tiny.
            assertEquals(b.median(), a.median(), 1e-3 * b.std());
        }
    }

    @Test
    void twoDimensionalDataSetIsFlaggedAndWritten(@TempDir Path tmp) throws IOException {
        Dataset ds = load(TestData.isbiMini());
        Path file = new FingerprintExtractor(2).extractAndWrite(ds, new WorkFolder(tmp), Progress.NONE);
        assertEquals(tmp.resolve("Task100_ISBI2012EM_mini/dataset_fingerprint.json"), file);
        DatasetFingerprint fp = DatasetFingerprint.read(file);
        assertTrue(fp.isTwoDimensional());
        assertArrayEquals(new double[] {512, 512, 1}, fp.medianShape(), 0);
        // EM images have no zero background: nothing is cropped.
        assertEquals(1.0, fp.medianRelativeSizeAfterCrop(), 0);
        assertNotEquals(0, fp.foregroundIntensity().get(0).sampleCount());
    }

    @Test
    void nonzeroBoxOfEmptyImageIsTheWholeImage() {
        long[][] box = FingerprintExtractor.nonzeroBox(new float[][] {new float[24]}, new long[] {2, 3, 4});
        assertArrayEquals(new long[] {0, 0, 0}, box[0]);
        assertArrayEquals(new long[] {2, 3, 4}, box[1]);
        float[] one = new float[24];
        one[1 + 2 * (1 + 3 * 2)] = 5; // x=1, y=1, z=2
        box = FingerprintExtractor.nonzeroBox(new float[][] {new float[24], one}, new long[] {2, 3, 4});
        assertArrayEquals(new long[] {1, 1, 2}, box[0]);
        assertArrayEquals(new long[] {2, 2, 3}, box[1]);
    }

    @Test
    void cancelStopsTheWork() {
        Dataset ds = load(TestData.bratsMini());
        Progress canceled = new Progress() {
            @Override
            public void status(String message) {
            }

            @Override
            public void progress(long done, long total) {
            }

            @Override
            public boolean isCanceled() {
                return true;
            }
        };
        assertThrows(CanceledException.class, () -> new FingerprintExtractor(2).extract(ds, canceled));
    }

    @Test
    void unreadableCaseNamesTheFile(@TempDir Path tmp) throws IOException {
        Path copy = TestData.copy(TestData.isbiMini(), tmp.resolve("broken"));
        Files.writeString(copy.resolve("imagesTr/isbi_002.nii.gz"), "not an image");
        Dataset ds = load(copy);
        IOException e = assertThrows(IOException.class, () -> new FingerprintExtractor(2).extract(ds, Progress.NONE));
        assertTrue(e.getMessage().contains("isbi_002.nii.gz"), e.getMessage());
    }
}

package io.github.nnunetfiji.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.train.data.BatchSource;

/**
 * A minimal batch source for trainer tests: random patches of the preprocessed cases, no
 * augmentation, batch i a function of (seed, i) only. 2D configurations must slice along z.
 */
final class PatchBatchSource implements BatchSource {

    static final BatchSourceFactory FACTORY = (dir, cases, plans, config, val, seed, threads) -> new PatchBatchSource(dir,
            cases, plans, config, seed);

    private final Path dir;
    private final List<String> cases;
    private final int batchSize;
    private final int[] patch3;
    private final int[] networkPatch;
    private final long seed;
    private final Map<String, PreprocessedCase> open = new HashMap<>();
    private long index;

    PatchBatchSource(Path dir, List<String> cases, Plans plans, String configuration, long seed) {
        PlanConfiguration c = plans.configuration(configuration);
        this.dir = dir;
        this.cases = cases;
        this.batchSize = c.batchSize();
        this.networkPatch = PlanNetworkAdapter.networkPatch(c);
        if (c.is2D() && c.sliceAxis() != 2) {
            throw new IllegalArgumentException("test source slices along z only");
        }
        this.patch3 = new int[] {networkPatch[0], networkPatch[1], networkPatch.length > 2 ? networkPatch[2] : 1};
        this.seed = seed;
    }

    @Override
    public Batch next() {
        SplittableRandom r = new SplittableRandom(seed * 31 + index++);
        int vox = patch3[0] * patch3[1] * patch3[2];
        int channels = -1;
        float[] images = null;
        byte[] labels = new byte[batchSize * vox];
        for (int n = 0; n < batchSize; n++) {
            PreprocessedCase pc = open(cases.get(r.nextInt(cases.size())));
            int[] s = pc.header().shape();
            int[] start = new int[3];
            for (int a = 0; a < 3; a++) {
                start[a] = s[a] > patch3[a] ? r.nextInt(s[a] - patch3[a] + 1) : -(patch3[a] - s[a]) / 2;
            }
            channels = pc.header().channels();
            if (images == null) {
                images = new float[batchSize * vox * channels];
            }
            float[] patch = new float[vox * channels];
            pc.readImagePatch(start, patch3, patch);
            for (int v = 0; v < vox; v++) {
                for (int c = 0; c < channels; c++) {
                    images[(n * vox + v) * channels + c] = patch[c * vox + v];
                }
            }
            byte[] l = new byte[vox];
            pc.readLabelPatch(start, patch3, l);
            for (int v = 0; v < vox; v++) {
                labels[n * vox + v] = (byte) Math.max(0, l[v]);
            }
        }
        return new Batch(batchSize, networkPatch, channels, images, labels);
    }

    private PreprocessedCase open(String id) {
        return open.computeIfAbsent(id, k -> {
            try {
                return PreprocessedCase.open(dir, k);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void close() {
        for (PreprocessedCase pc : open.values()) {
            try {
                pc.close();
            } catch (IOException e) {
                // closing a read-only mapping
            }
        }
    }
}

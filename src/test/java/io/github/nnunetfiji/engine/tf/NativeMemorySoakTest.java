package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.OptimizerSpec;
import io.github.nnunetfiji.engine.SphereData;

/**
 * 1000 train steps, with predictions, validation losses and checkpoints in between, must leave the
 * process's resident memory flat: every tensor and result is closed. Slow (about two minutes): runs
 * with -Pslow.
 */
@EnabledIfSystemProperty(named = "nnunet.slow", matches = "true")
class NativeMemorySoakTest {

    @TempDir
    Path dir;

    static long residentMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    @Test
    void residentMemoryStaysFlatOver1000Steps() throws IOException {
        int[] shape = {32, 32, 32};
        NetworkSpec spec = NetworkSpec.uniformBuilder(3, 1, 2, 3, 8, 32)
                .deepSupervision(true)
                .optimizer(OptimizerSpec.sgdNesterov(1000)).build();
        SphereData data = new SphereData(shape, 1, 0.5);
        Batch[] batches = new Batch[8];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = data.batch(2);
        }
        long afterWarmup = 0;
        long peak = 0;
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(2)); Network net = engine.create(spec)) {
            for (int step = 1; step <= 1000; step++) {
                Batch b = batches[step % batches.length];
                net.trainStep(b);
                if (step % 10 == 0) {
                    net.loss(b);
                    net.predict(Batch.images(2, shape, 1, b.images()));
                }
                if (step % 250 == 0) {
                    net.saveCheckpoint(dir.resolve("latest.ckpt"));
                }
                if (step % 100 == 0) {
                    System.gc();
                    long rss = residentMb();
                    System.out.println("step " + step + ": resident " + rss + " MB");
                    if (step == 200) {
                        afterWarmup = rss;
                    }
                    if (step > 200) {
                        peak = Math.max(peak, rss);
                    }
                }
            }
        }
        assertTrue(peak - afterWarmup < 64, "resident memory grew from " + afterWarmup + " MB to " + peak + " MB");
    }
}

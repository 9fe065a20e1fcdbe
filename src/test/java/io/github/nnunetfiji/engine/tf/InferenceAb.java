package io.github.nnunetfiji.engine.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;

import io.github.nnunetfiji.bench.EngineBenchmark;
import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Processor;
import io.github.nnunetfiji.engine.TensorLayout;

/**
 * Interleaved A/B comparison of inference-graph variants in one JVM: the exported inference model of
 * a {@link EngineBenchmark} case (random He weights) loaded once per variant, then every round runs
 * each variant once, in turn, so that other work on a shared machine slows all alike; prints the
 * median and range per variant, its ratio to {@code plain}, and the largest probability difference
 * from {@code plain}. Arguments: {@code <case> <threads> <rounds> <variant>...}; variants:
 * {@code plain} (the model file's graph, the engine's session, its weights fed as inputs),
 * {@code constants} (the weights as the graph's constants: {@link EngineOptions#weightsAsInputs} off),
 * {@code plain1} (the plain one, called with one sample at a time: the plain path's own rounding at
 * another batch size), {@code samplewise}
 * ({@link EngineOptions#sampleWiseInference}), {@code nograppler} (grappler's meta optimizer off),
 * {@code noremap} (grappler's remapper off), {@code noarith} (arithmetic optimization off),
 * {@code xla} (XLA JIT on the CPU, global_jit_level ON_1), and {@code samplewise+X} for X one of the
 * session variants. Also prints each variant's import and first pass (the first variant loaded also
 * pays what is set up once per process, so compare those in fresh processes).
 */
public final class InferenceAb {

    private InferenceAb() {
    }

    public static void main(String[] args) throws IOException {
        EngineBenchmark.Case c = EngineBenchmark.config(args[0]);
        int threads = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        List<String> variants = List.of(Arrays.copyOfRange(args, 3, args.length));
        Random r = new Random(1);
        float[] images = new float[(int) (c.batch() * TensorLayout.voxels(c.patch()) * c.spec().inputChannels())];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) r.nextGaussian();
        }
        Batch batch = Batch.images(c.batch(), c.patch(), c.spec().inputChannels(), images);
        Path dir = Files.createTempDirectory("inference-ab");
        try (TfEngine engine = new TfEngine(EngineOptions.cpu(threads))) {
            try (TfNetwork net = TfNetwork.create(engine, c.spec())) {
                net.exportInferenceModel(dir);
            }
            InferenceModelFiles.Loaded loaded = InferenceModelFiles.read(dir);
            Map<String, TfInferenceModel> models = new LinkedHashMap<>();
            Map<String, List<Double>> times = new LinkedHashMap<>();
            Map<String, float[]> outputs = new LinkedHashMap<>();
            Map<String, String> firstPass = new LinkedHashMap<>();
            try {
                for (String v : variants) {
                    if (v.equals("plain1")) {
                        models.put(v, new TfInferenceModel(engine, loaded, engine.sessionConfig(), false, true));
                        times.put(v, new ArrayList<>());
                        outputs.put(v, oneByOne(models.get(v), batch));
                        continue;
                    }
                    boolean sampleWise = v.startsWith("samplewise");
                    String session = v.replaceFirst("^samplewise\\+?", "");
                    long t0 = System.nanoTime();
                    models.put(v, new TfInferenceModel(engine, loaded, config(engine.sessionConfig(), session),
                            sampleWise, !session.equals("constants")));
                    long t1 = System.nanoTime();
                    times.put(v, new ArrayList<>());
                    outputs.put(v, models.get(v).predict(batch)); // graph optimization, primitive creation
                    firstPass.put(v, String.format(Locale.ROOT, "import %.0f ms, first pass %.0f ms", (t1 - t0) / 1e6,
                            (System.nanoTime() - t1) / 1e6));
                    models.get(v).predict(batch);
                }
                for (int i = 0; i < rounds; i++) {
                    for (String v : variants) {
                        long t0 = System.nanoTime();
                        if (v.equals("plain1")) {
                            oneByOne(models.get(v), batch);
                        } else {
                            models.get(v).predict(batch);
                        }
                        times.get(v).add((System.nanoTime() - t0) / 1e6);
                    }
                }
            } finally {
                models.values().forEach(TfInferenceModel::close);
                Files.deleteIfExists(dir.resolve(InferenceModelFiles.GRAPH_FILE));
                Files.deleteIfExists(dir.resolve(InferenceModelFiles.INFO_FILE));
                Files.deleteIfExists(dir);
            }
            System.out.printf(Locale.ROOT, "%s inference forward, batch %d, float32, %d threads, %d interleaved rounds"
                    + " | %s | load %s%n", c.name(), c.batch(), threads, rounds, Processor.current(),
                    InferenceProfile.loadAverage());
            double base = median(times.get(variants.get(0)));
            float[] reference = outputs.get(variants.get(0));
            for (String v : variants) {
                List<Double> t = times.get(v);
                System.out.printf(Locale.ROOT, "  %-22s median %7.0f ms (%5.0f-%5.0f)  %5.2fx %s  max |p - p_%s| %.2e%n",
                        v, median(t), t.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                        t.stream().mapToDouble(Double::doubleValue).max().orElse(0), median(t) / base, variants.get(0),
                        variants.get(0), maxDifference(reference, outputs.get(v)));
                if (firstPass.containsKey(v)) {
                    System.out.println("    after loading: " + firstPass.get(v));
                }
            }
        }
    }

    /** The engine's session configuration with one grappler or XLA setting changed. */
    static ConfigProto config(ConfigProto base, String variant) {
        ConfigProto.Builder b = base.toBuilder();
        RewriterConfig.Builder rw = b.getGraphOptionsBuilder().getRewriteOptionsBuilder();
        switch (variant) {
            case "", "plain", "constants" -> {
            }
            case "nograppler" -> rw.setDisableMetaOptimizer(true);
            case "noremap" -> rw.setRemapping(RewriterConfig.Toggle.OFF);
            case "noarith" -> rw.setArithmeticOptimization(RewriterConfig.Toggle.OFF);
            case "xla" -> b.setGraphOptions(GraphOptions.newBuilder(b.getGraphOptions()).setOptimizerOptions(
                    OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1)
                            .setCpuGlobalJit(true)));
            default -> throw new IllegalArgumentException("Unknown variant " + variant);
        }
        return b.build();
    }

    /** The model called once per sample of the batch. */
    static float[] oneByOne(TfInferenceModel model, Batch batch) {
        int in = (int) (TensorLayout.voxels(batch.shape()) * batch.channels());
        int out = (int) (TensorLayout.voxels(batch.shape()) * model.spec().classes());
        float[] all = new float[out * batch.size()];
        for (int n = 0; n < batch.size(); n++) {
            float[] one = Arrays.copyOfRange(batch.images(), n * in, (n + 1) * in);
            System.arraycopy(model.predict(Batch.images(1, batch.shape(), batch.channels(), one)), 0, all, n * out, out);
        }
        return all;
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double maxDifference(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}

package io.github.nnunetfiji.engine.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

import io.github.nnunetfiji.bench.EngineBenchmark;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.Processor;
import io.github.nnunetfiji.engine.TensorLayout;

/**
 * Where the inference forward pass spends its time, per op type, from TensorFlow's own step
 * statistics (RunOptions FULL_TRACE): the frozen inference graph of a {@link EngineBenchmark} case
 * (random He weights), in the session an inference model gets. oneDNN's and grappler's fused kernels
 * are named by the kernel that ran ({@code _Mkl...}, {@code _Fused...}), read from the timeline label.
 * Arguments: {@code <case> [threads] [traced passes]}; bench/engine-profile.sh runs it.
 */
public final class InferenceProfile {

    private InferenceProfile() {
    }

    public static void main(String[] args) throws IOException {
        EngineBenchmark.Case c = EngineBenchmark.config(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int traced = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        boolean nodes = System.getenv("NODES") != null; // also each node over 20 ms of the first traced pass
        NetworkSpec spec = c.spec().toBuilder().deepSupervision(false).build();
        long[] shape = TensorLayout.tensorShape(c.batch(), c.patch(), spec.inputChannels());
        float[] images = new float[(int) (c.batch() * TensorLayout.voxels(c.patch()) * spec.inputChannels())];
        Random r = new Random(1);
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) r.nextGaussian();
        }
        try (TfEngine engine = new TfEngine(EngineOptions.cpu(threads))) {
            Map<String, float[]> weights;
            try (TfNetwork net = TfNetwork.create(engine, c.spec())) {
                weights = net.weights();
            }
            try (Graph g = new Graph()) {
                g.importGraphDef(InferenceModelFiles.frozenGraph(spec, weights, false));
                Map<String, String> typeOf = new HashMap<>();
                g.operations().forEachRemaining(op -> typeOf.put(op.name(), op.type()));
                Map<String, Long> byType = new HashMap<>();
                Map<String, Integer> count = new HashMap<>();
                double[] wall = new double[traced];
                try (Session s = new Session(g, engine.sessionConfig()); TFloat32 x = Tensors.floats(shape, images)) {
                    for (int i = 0; i < 2; i++) { // graph optimization, oneDNN primitive creation
                        s.runner().feed(InferenceModelFiles.INPUT, x).fetch(InferenceModelFiles.OUTPUT).run().close();
                    }
                    for (int i = 0; i < traced; i++) {
                        long t0 = System.nanoTime();
                        try (Result res = s.runner().feed(InferenceModelFiles.INPUT, x).fetch(InferenceModelFiles.OUTPUT)
                                .setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build())
                                .runAndFetchMetadata()) {
                            wall[i] = (System.nanoTime() - t0) / 1e6;
                            RunMetadata md = res.getMetadata().orElseThrow();
                            for (DeviceStepStats d : md.getStepStats().getDevStatsList()) {
                                for (NodeExecStats n : d.getNodeStatsList()) {
                                    String type = kernel(n, typeOf);
                                    byType.merge(type, n.getAllEndRelMicros(), Long::sum);
                                    if (nodes && i == 0 && n.getAllEndRelMicros() > 20000) {
                                        System.out.printf(Locale.ROOT, "   %-30s %-30s %7.1f ms%n", n.getNodeName(),
                                                type, n.getAllEndRelMicros() / 1e3);
                                    }
                                    count.merge(type, 1, Integer::sum);
                                }
                            }
                        }
                    }
                }
                long total = byType.values().stream().mapToLong(Long::longValue).sum();
                System.out.printf(Locale.ROOT, "%s inference forward, batch %d, float32, %d threads: traced pass %s ms"
                        + " (op time summed over %d passes: %.0f ms per pass)%n", c.name(), c.batch(), threads,
                        java.util.Arrays.toString(java.util.Arrays.stream(wall).mapToLong(Math::round).toArray()),
                        traced, total / 1e3 / traced);
                System.out.println("  " + engine.description() + " | " + Processor.current() + " | load "
                        + loadAverage());
                byType.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                        .limit(16).forEach(e -> System.out.printf(Locale.ROOT, "  %-34s %8.1f ms %5.1f%%  (%d nodes)%n",
                                e.getKey(), e.getValue() / 1e3 / traced, 100.0 * e.getValue() / total,
                                count.get(e.getKey()) / traced));
            }
        }
    }

    /** The op type, or the kernel oneDNN or grappler put in its place, as the timeline names it. */
    static String kernel(NodeExecStats n, Map<String, String> typeOf) {
        String type = typeOf.getOrDefault(n.getNodeName(), n.getNodeName().replaceAll(".*/", ""));
        String label = n.getTimelineLabel();
        if (label.contains("_Mkl") || label.contains("_Fused")) {
            type = label.replaceAll("^.*= ([_A-Za-z0-9]+)\\(.*$", "$1");
        }
        return type;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().replaceAll("^(\\S+ \\S+ \\S+).*$", "$1");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

package io.github.nnunetfiji.engine.tf;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.tensorflow.Result;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

import io.github.nnunetfiji.bench.EngineBenchmark;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.TensorLayout;

/**
 * Where a train step spends its time, per op type, from TensorFlow's own step statistics.
 * Arguments: a config name of {@link EngineBenchmark} and optionally the thread count.
 */
public final class TrainStepProfile {

    private TrainStepProfile() {
    }

    public static void main(String[] args) {
        EngineBenchmark.Case c = EngineBenchmark.config(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        long voxels = TensorLayout.voxels(c.patch());
        float[] images = new float[(int) (c.batch() * voxels * c.spec().inputChannels())];
        byte[] labels = new byte[(int) (c.batch() * voxels)];
        Random r = new Random(1);
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) r.nextGaussian();
        }
        try (TfEngine engine = new TfEngine(EngineOptions.cpu(threads).withPrecision(args.length > 2 && args[2].equals("mixed")
                ? EngineOptions.Precision.MIXED_BFLOAT16 : EngineOptions.Precision.FLOAT32));
                TfNetwork net = TfNetwork.create(engine, c.spec())) {
            TrainingGraph g = net.trainingGraph();
            long[] shape = TensorLayout.tensorShape(c.batch(), c.patch(), c.spec().inputChannels());
            long[] lshape = java.util.Arrays.copyOf(shape, shape.length - 1);
            Map<String, Long> byType = new HashMap<>();
            Map<String, Long> byNode = new HashMap<>();
            Map<String, String> typeOf = new HashMap<>();
            g.graph.operations().forEachRemaining(op -> typeOf.put(op.name(), op.type()));
            long wall = 0;
            for (int i = 0; i < 3; i++) {
                try (TFloat32 x = Tensors.floats(shape, images); TUint8 y = Tensors.bytes(lshape, labels);
                        TFloat32 lr = Tensors.scalar(0.01); TFloat32 b = Tensors.scalar(0.5)) {
                    long t0 = System.nanoTime();
                    try (Result res = net.session().runner().feed(g.images, x).feed(g.labels, y)
                            .feed(g.learningRate, lr).feed(g.beta1Power, b).feed(g.beta2Power, b).fetch(g.loss)
                            .addTarget(g.trainStep)
                            .setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build())
                            .runAndFetchMetadata()) {
                        long t = System.nanoTime() - t0;
                        if (i < 2) {
                            continue;
                        }
                        wall = t;
                        RunMetadata md = res.getMetadata().orElseThrow();
                        for (DeviceStepStats d : md.getStepStats().getDevStatsList()) {
                            for (NodeExecStats n : d.getNodeStatsList()) {
                                String type = typeOf.getOrDefault(n.getNodeName(), n.getNodeName().replaceAll(".*/", ""));
                                String label = n.getTimelineLabel();
                                if (label.contains("_Mkl") || label.contains("_Fused")) {
                                    type = label.replaceAll("^.*= ([_A-Za-z0-9]+)\\(.*$", "$1");
                                }
                                byType.merge(type, n.getAllEndRelMicros(), Long::sum);
                                byNode.merge(n.getNodeName() + " (" + type + ")", n.getAllEndRelMicros(), Long::sum);
                            }
                        }
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%s: traced train step %.0f ms%n", c.name(), wall / 1e6);
            long total = byType.values().stream().mapToLong(Long::longValue).sum();
            byType.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .limit(30).forEach(e -> System.out.printf(Locale.ROOT, "  %-36s %8.1f ms %5.1f%%%n", e.getKey(),
                            e.getValue() / 1e3, 100.0 * e.getValue() / total));
            System.out.println("slowest nodes:");
            byNode.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .limit(25).forEach(e -> System.out.printf(Locale.ROOT, "  %-90s %8.1f ms%n", e.getKey(),
                            e.getValue() / 1e3));
        }
    }
}

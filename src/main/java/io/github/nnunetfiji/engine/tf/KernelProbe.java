package io.github.nnunetfiji.engine.tf;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * Which kernel TensorFlow runs for a small 3D convolution, read from a traced run (oneDNN's kernels
 * are named {@code _Mkl...}): TensorFlow's oneDNN decision seen from Java alone, where its library
 * cannot be asked through a native call (no JNA).
 */
final class KernelProbe {

    private KernelProbe() {
    }

    /** True if the probe convolution ran on a oneDNN kernel. */
    static boolean runsOneDnn() {
        return conv3dKernels().stream().anyMatch(k -> k.startsWith("_Mkl"));
    }

    /** The timeline labels of the convolution's node in a traced run. */
    static List<String> conv3dKernels() {
        List<String> labels = new ArrayList<>();
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 8, 8, 8, 4)));
            Operand<TFloat32> w = tf.fill(tf.constant(new long[] {3, 3, 3, 4, 8}), tf.constant(0.1f));
            Operand<TFloat32> y = tf.withName("probe").nn.conv3d(x, w, List.of(1L, 1L, 1L, 1L, 1L), "SAME");
            try (TFloat32 input = Tensors.floats(new long[] {1, 8, 8, 8, 4}, new float[8 * 8 * 8 * 4]);
                    Result r = s.runner().feed(x, input).fetch(y)
                            .setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build())
                            .runAndFetchMetadata()) {
                for (DeviceStepStats d : r.getMetadata().orElseThrow().getStepStats().getDevStatsList()) {
                    for (NodeExecStats n : d.getNodeStatsList()) {
                        if (n.getNodeName().startsWith("probe")) {
                            labels.add(n.getTimelineLabel().replaceAll("^.*= ([_A-Za-z0-9]+)\\(.*$", "$1"));
                        }
                    }
                }
            }
        }
        return labels;
    }
}

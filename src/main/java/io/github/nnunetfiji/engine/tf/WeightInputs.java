package io.github.nnunetfiji.engine.tf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TFloat32;

/**
 * A frozen graph's weights turned into inputs: every float constant of more than one value (the
 * network's parameters) becomes a placeholder of the same name, and its values a native tensor fed
 * to every run. TensorFlow then imports, optimizes and sets up a graph of a few hundred kilobytes
 * instead of one that carries every weight through each of those steps: for the ISBI 2D network
 * (71 MB) import went from about 1.1 s to 0.15 s and the first pass's extra time over a later
 * pass from about 2.2 s to 0.7 s (docs/engine.md). Feeding costs no copy: the tensors are made once.
 * Closing frees them.
 */
final class WeightInputs implements AutoCloseable {

    private final GraphDef graph;
    private final Map<String, TFloat32> tensors;

    private WeightInputs(GraphDef graph, Map<String, TFloat32> tensors) {
        this.graph = graph;
        this.tensors = tensors;
    }

    /** The graph with its weights as placeholders, and their values. */
    static WeightInputs of(GraphDef frozen) {
        GraphDef.Builder b = GraphDef.newBuilder(frozen);
        Map<String, TFloat32> tensors = new LinkedHashMap<>();
        try {
            for (int i = 0; i < b.getNodeCount(); i++) {
                NodeDef n = b.getNode(i);
                AttrValue value = n.getAttrMap().get("value");
                if (!n.getOp().equals("Const") || value == null || value.getTensor().getDtype() != DataType.DT_FLOAT
                        || value.getTensor().getTensorContent().size() < 8) {
                    continue;
                }
                TensorProto t = value.getTensor();
                tensors.put(n.getName(), Tensors.floats(FrozenGraphWeights.shape(t), FrozenGraphWeights.values(t)));
                b.setNode(i, NodeDef.newBuilder().setName(n.getName()).setOp("Placeholder").setDevice(n.getDevice())
                        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
                        .putAttr("shape", AttrValue.newBuilder().setShape(t.getTensorShape()).build()));
            }
        } catch (RuntimeException e) {
            tensors.values().forEach(TFloat32::close);
            throw e;
        }
        return new WeightInputs(b.build(), Collections.unmodifiableMap(tensors));
    }

    /** The graph whose weights are placeholders. */
    GraphDef graph() {
        return graph;
    }

    /** The values to feed, by placeholder name. */
    Map<String, TFloat32> tensors() {
        return tensors;
    }

    @Override
    public void close() {
        tensors.values().forEach(TFloat32::close);
    }
}

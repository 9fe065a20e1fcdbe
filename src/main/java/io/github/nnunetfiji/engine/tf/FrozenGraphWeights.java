package io.github.nnunetfiji.engine.tf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The float32 constants of a frozen graph by node name: the weights of an exported model (whose
 * constants are named after the parameters), so that it can be rebuilt in another precision.
 */
final class FrozenGraphWeights {

    private FrozenGraphWeights() {
    }

    static Map<String, float[]> read(GraphDef graph) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (NodeDef n : graph.getNodeList()) {
            if (!n.getOp().equals("Const") || !n.getAttrMap().containsKey("value")) {
                continue;
            }
            TensorProto t = n.getAttrMap().get("value").getTensor();
            if (t.getDtype() == DataType.DT_FLOAT) {
                out.put(n.getName(), values(t));
            }
        }
        return out;
    }

    /** The constant's shape. */
    static long[] shape(TensorProto t) {
        return t.getTensorShape().getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
    }

    /** The constant's values, checked against its shape. */
    static float[] values(TensorProto t) {
        long size = 1;
        for (long d : shape(t)) {
            size *= d;
        }
        float[] v = new float[Math.toIntExact(size)];
        if (!t.getTensorContent().isEmpty()) {
            ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (b.remaining() != 4L * v.length) {
                throw new IllegalArgumentException("Constant holds " + b.remaining() + " bytes for " + v.length
                        + " floats");
            }
            b.asFloatBuffer().get(v);
        } else if (t.getFloatValCount() == 1) {
            Arrays.fill(v, t.getFloatVal(0)); // TensorFlow stores a splat as one value
        } else {
            for (int i = 0; i < t.getFloatValCount() && i < v.length; i++) {
                v[i] = t.getFloatVal(i);
            }
        }
        return v;
    }
}

package io.github.nnunetfiji.engine.tf;

import java.util.Set;
import java.util.TreeSet;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * The only operations an inference graph may contain: pure tensor math. Nothing here can touch
 * files, the network, processes or other sessions' state, so a model file downloaded from anywhere
 * can at worst compute wrong numbers. Function libraries and function-valued attributes are refused
 * too, since they could hide other ops.
 */
final class OpAllowlist {

    static final Set<String> ALLOWED = Set.of(
            "Placeholder", "Const", "Identity",
            "Conv2D", "Conv3D", "Conv2DBackpropInput", "Conv3DBackpropInputV2",
            "MaxPool", "MaxPool3D", "BiasAdd", "LeakyRelu", "Softmax", "FusedBatchNormV3",
            "Transpose", "Reshape", "Tile", "Shape", "StridedSlice", "ConcatV2", "PadV2");

    private OpAllowlist() {
    }

    /** Throws {@link SecurityException} naming every op or construct that is not allowed. */
    static void check(GraphDef graph) {
        Set<String> bad = new TreeSet<>();
        if (graph.hasLibrary() && (graph.getLibrary().getFunctionCount() > 0
                || graph.getLibrary().getGradientCount() > 0)) {
            bad.add("function library");
        }
        for (NodeDef node : graph.getNodeList()) {
            if (!ALLOWED.contains(node.getOp())) {
                bad.add(node.getOp());
            }
            for (AttrValue a : node.getAttrMap().values()) {
                if (a.hasFunc() || (a.hasList() && a.getList().getFuncCount() > 0)) {
                    bad.add("function attribute on " + node.getName());
                }
            }
        }
        if (!bad.isEmpty()) {
            throw new SecurityException("Model graph uses operations that are not allowed: " + String.join(", ", bad));
        }
    }
}

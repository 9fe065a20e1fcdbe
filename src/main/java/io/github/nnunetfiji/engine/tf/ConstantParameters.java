package io.github.nnunetfiji.engine.tf;

import java.util.Map;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Parameters baked into the graph as constants: the frozen inference graph needs no variables. */
final class ConstantParameters implements ParameterSource {

    private final Map<String, float[]> values;

    ConstantParameters(Map<String, float[]> values) {
        this.values = values;
    }

    @Override
    public Operand<TFloat32> get(Ops tf, String name, long[] shape, ParameterInit init) {
        float[] v = values.get(name);
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (v == null || v.length != n) {
            throw new IllegalArgumentException("No weights of the right size for " + name);
        }
        return tf.withName(name).constant(Shape.of(shape), DataBuffers.of(v, true, false));
    }
}

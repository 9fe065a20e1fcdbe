package io.github.nnunetfiji.engine.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Where the network builder gets its parameters: variables for training, constants for an exported
 * inference graph. The same builder code thus makes both graphs.
 */
interface ParameterSource {

    /** The value of parameter {@code name} with TensorFlow shape {@code shape}. */
    Operand<TFloat32> get(Ops tf, String name, long[] shape, ParameterInit init);
}

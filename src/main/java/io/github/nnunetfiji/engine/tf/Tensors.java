package io.github.nnunetfiji.engine.tf;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/** Copies between Java arrays and native tensors. Callers close every tensor they get. */
final class Tensors {

    private Tensors() {
    }

    static TFloat32 floats(long[] shape, float[] data) {
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    static TFloat32 scalar(double v) {
        return TFloat32.scalarOf((float) v);
    }

    static TUint8 bytes(long[] shape, byte[] data) {
        return TUint8.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    static float[] read(Tensor t) {
        TFloat32 f = (TFloat32) t;
        long n = f.size();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalStateException("Tensor too large for a Java array: " + f.shape());
        }
        float[] out = new float[(int) n];
        f.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    static float readScalar(Tensor t) {
        return ((TFloat32) t).getFloat();
    }
}

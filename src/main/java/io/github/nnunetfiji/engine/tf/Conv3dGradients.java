package io.github.nnunetfiji.engine.tf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv3d;
import org.tensorflow.op.nn.Conv3dBackpropFilter;
import org.tensorflow.op.nn.Conv3dBackpropInput;
import org.tensorflow.types.family.TNumber;

/**
 * Gradients of the 3D convolution ops, which TensorFlow's C++ gradient registry (the one graph-mode
 * Java uses) lacks. They mirror TensorFlow's Python definitions: each op's gradient is built from
 * the other two. Integer shape inputs get zeros, because the native caller rejects null.
 */
final class Conv3dGradients {

    private static boolean registered;

    private Conv3dGradients() {
    }

    /**
     * Registers the gradients once per JVM (the registry is process-wide), before a 3D training
     * graph is built. Inference and 2D training never need them.
     */
    static synchronized void registerOnce() {
        if (registered) {
            return;
        }
        OneDnnSwitch.turnOn(); // this may be the first use of TensorFlow in the JVM

        try {
            TensorFlow.registerCustomGradient(Conv3d.OP_NAME, Conv3dGradients::conv3d);
        } catch (UnsupportedOperationException e) {
            throw new UnsupportedOperationException("Training 3D networks needs custom gradients, which TensorFlow "
                    + "Java does not support on this system (" + e.getMessage() + "); 2D training and all inference work",
                    e);
        }
        TensorFlow.registerCustomGradient(Conv3dBackpropInput.OP_NAME, Conv3dGradients::backpropInput);
        TensorFlow.registerCustomGradient(Conv3dBackpropFilter.OP_NAME, Conv3dGradients::backpropFilter);
        registered = true;
    }

    /** y = conv3d(x, w): dx = backprop_input(shape(x), w, dy), dw = backprop_filter(x, shape(w), dy). */
    private static List<Operand<?>> conv3d(Ops tf, GraphOperation op, List<Output<?>> grads) {
        Operand<TNumber> x = input(op, 0);
        Operand<TNumber> w = input(op, 1);
        Operand<TNumber> dy = cast(grads.get(0));
        Attributes a = new Attributes(op);
        List<Operand<?>> r = new ArrayList<>();
        r.add(tf.nn.conv3dBackpropInput(tf.shape(x), w, dy, a.strides, a.padding, a.inputOptions()));
        r.add(tf.nn.conv3dBackpropFilter(x, tf.shape(w), dy, a.strides, a.padding, a.filterOptions()));
        return r;
    }

    /** y = backprop_input(sizes, w, g) (a transposed convolution of g). */
    private static List<Operand<?>> backpropInput(Ops tf, GraphOperation op, List<Output<?>> grads) {
        Operand<TNumber> sizes = input(op, 0);
        Operand<TNumber> w = input(op, 1);
        Operand<TNumber> g = input(op, 2);
        Operand<TNumber> dy = cast(grads.get(0));
        Attributes a = new Attributes(op);
        List<Operand<?>> r = new ArrayList<>();
        r.add(tf.zerosLike(sizes));
        r.add(tf.nn.conv3dBackpropFilter(dy, tf.shape(w), g, a.strides, a.padding, a.filterOptions()));
        r.add(tf.nn.conv3d(dy, w, a.strides, a.padding, a.convOptions()));
        return r;
    }

    /** y = backprop_filter(x, sizes, g) (a correlation of x and g). */
    private static List<Operand<?>> backpropFilter(Ops tf, GraphOperation op, List<Output<?>> grads) {
        Operand<TNumber> x = input(op, 0);
        Operand<TNumber> sizes = input(op, 1);
        Operand<TNumber> g = input(op, 2);
        Operand<TNumber> dw = cast(grads.get(0));
        Attributes a = new Attributes(op);
        List<Operand<?>> r = new ArrayList<>();
        r.add(tf.nn.conv3dBackpropInput(tf.shape(x), dw, g, a.strides, a.padding, a.inputOptions()));
        r.add(tf.zerosLike(sizes));
        r.add(tf.nn.conv3d(x, dw, a.strides, a.padding, a.convOptions()));
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Operand<TNumber> input(GraphOperation op, int i) {
        return (Operand<TNumber>) (Operand<?>) op.input(i);
    }

    @SuppressWarnings("unchecked")
    private static Operand<TNumber> cast(Output<?> o) {
        return (Operand<TNumber>) (Operand<?>) o;
    }

    /** The attributes the forward op was built with; its gradient ops repeat them. */
    private static final class Attributes {
        final List<Long> strides;
        final String padding;
        final List<Long> dilations;
        final String dataFormat;

        Attributes(GraphOperation op) {
            strides = boxed(op.attributes().getAttrIntList("strides"));
            padding = op.attributes().getAttrString("padding");
            dilations = boxed(op.attributes().getAttrIntList("dilations"));
            dataFormat = op.attributes().getAttrString("data_format");
        }

        Conv3d.Options[] convOptions() {
            return new Conv3d.Options[] {Conv3d.dilations(dilations), Conv3d.dataFormat(dataFormat)};
        }

        Conv3dBackpropInput.Options[] inputOptions() {
            return new Conv3dBackpropInput.Options[] {Conv3dBackpropInput.dilations(dilations),
                    Conv3dBackpropInput.dataFormat(dataFormat)};
        }

        Conv3dBackpropFilter.Options[] filterOptions() {
            return new Conv3dBackpropFilter.Options[] {Conv3dBackpropFilter.dilations(dilations),
                    Conv3dBackpropFilter.dataFormat(dataFormat)};
        }

        private static List<Long> boxed(long[] v) {
            return Arrays.stream(v).boxed().toList();
        }
    }
}

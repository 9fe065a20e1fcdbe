package io.github.nnunetfiji.engine.tf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.ResourceApplyMomentum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.OptimizerSpec;

/**
 * The graph a {@link TfNetwork} runs: inputs, U-Net, loss, gradients and one fused optimizer step.
 * Learning rate and Adam's bias-correction powers are fed per step from Java, so the schedule and
 * the step count live in Java and in the checkpoint, not in graph state.
 */
final class TrainingGraph {

    final Graph graph;
    final VariableSet vars = new VariableSet();
    final Placeholder<TFloat32> images;
    final Placeholder<TUint8> labels;
    final Placeholder<TFloat32> learningRate;
    final Placeholder<TFloat32> beta1Power;
    final Placeholder<TFloat32> beta2Power;
    final Operand<TFloat32> probabilities;
    final Operand<TFloat32> loss;
    final Op trainStep;
    /** Gradients of the loss per trainable variable, in {@link VariableSet#trainable()} order. */
    final List<Output<TFloat32>> gradients = new ArrayList<>();

    TrainingGraph(NetworkSpec spec, boolean bfloat16) {
        this(spec, bfloat16, ConvWeightGradient.Mode.OP);
    }

    /**
     * With {@link ConvWeightGradient.Mode#MATMUL}, the weight gradients of eligible float32
     * convolutions are built from the gradient at their outputs ({@link ConvWeightGradient}); the
     * backprop-filter ops TensorFlow's gradient functions add for them are never run.
     */
    TrainingGraph(NetworkSpec spec, boolean bfloat16, ConvWeightGradient.Mode weightGradients) {
        if (spec.dims() == 3) {
            Conv3dGradients.registerOnce();
        }
        graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            TfLayout layout = new TfLayout(spec.dims());
            images = tf.withName("images").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(layout.batchShape(spec.inputChannels()))));
            long[] labelShape = new long[spec.dims() + 1];
            Arrays.fill(labelShape, -1);
            labels = tf.withName("labels").placeholder(TUint8.class, Placeholder.shape(Shape.of(labelShape)));
            learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            beta1Power = tf.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            beta2Power = tf.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));

            UNetBuilder builder = new UNetBuilder(tf, spec, vars, bfloat16, weightGradients);
            List<Operand<TFloat32>> logits = builder.build(images);
            probabilities = tf.withName("probabilities").nn.softmax(logits.get(0));
            loss = tf.withName("loss").identity(new LossBuilder(tf, spec).loss(logits, labels));

            List<VariableSet.Var> trainable = vars.trainable();
            Map<String, UNetBuilder.ConvSite> sites = new HashMap<>();
            for (UNetBuilder.ConvSite site : builder.convSites()) {
                sites.put(site.weight().op().name(), site);
            }
            // Per variable: the gradient at its read, or, for a convolution weight computed here, the
            // gradient at the convolution's output (TensorFlow backpropagates on through it).
            Output<?>[] x = new Output<?>[trainable.size()];
            UNetBuilder.ConvSite[] siteOf = new UNetBuilder.ConvSite[x.length];
            for (int i = 0; i < x.length; i++) {
                siteOf[i] = sites.get(trainable.get(i).read.op().name());
                x[i] = siteOf[i] != null ? siteOf[i].output().asOutput() : trainable.get(i).read.asOutput();
            }
            Output<?>[] dx = graph.addGradients(loss.asOutput(), x);
            Ops grad = tf.withSubScope("weight_gradients");
            for (int i = 0; i < dx.length; i++) {
                Output<TFloat32> g = castFloat(dx[i]);
                UNetBuilder.ConvSite site = siteOf[i];
                gradients.add(site == null ? g
                        : ConvWeightGradient.of(grad, site.input(), g, site.filterShape()).asOutput());
            }
            trainStep = optimizer(tf.withSubScope("optimizer"), spec.optimizer(), trainable);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static Output<TFloat32> castFloat(Output<?> o) {
        return (Output<TFloat32>) o;
    }

    private Op optimizer(Ops tf, OptimizerSpec o, List<VariableSet.Var> trainable) {
        List<Op> updates = new ArrayList<>();
        Operand<TFloat32> decay = tf.constant((float) o.weightDecay());
        Operand<TFloat32> clip = o.gradientClipNorm() > 0 ? clipFactor(tf, o.gradientClipNorm()) : null;
        for (int i = 0; i < trainable.size(); i++) {
            VariableSet.Var v = trainable.get(i);
            Operand<TFloat32> g = gradients.get(i);
            if (clip != null) {
                g = tf.math.mul(g, clip);
            }
            if (o.weightDecay() > 0) {
                g = tf.math.add(g, tf.math.mul(decay, v.read));
            }
            if (o.kind() == OptimizerSpec.Kind.SGD_NESTEROV) {
                VariableSet.Var accum = vars.slot(tf, v, "momentum");
                updates.add(tf.train.resourceApplyMomentum(v.handle, accum.handle, learningRate, g,
                        tf.constant((float) o.momentum()), ResourceApplyMomentum.useNesterov(true)));
            } else {
                VariableSet.Var m = vars.slot(tf, v, "m");
                VariableSet.Var s = vars.slot(tf, v, "v");
                updates.add(tf.train.resourceApplyAdam(v.handle, m.handle, s.handle,
                        beta1Power, beta2Power, learningRate, tf.constant((float) o.beta1()),
                        tf.constant((float) o.beta2()), tf.constant((float) o.epsilon()), g));
            }
        }
        return tf.withControlDependencies(updates).withName("train_step").noOp();
    }

    /** min(1, maxNorm / (norm + 1e-6)) for the global L2 norm of all gradients, as PyTorch's clip_grad_norm_. */
    private Operand<TFloat32> clipFactor(Ops tf, double maxNorm) {
        Operand<TFloat32> sumOfSquares = null;
        for (Output<TFloat32> g : gradients) {
            Operand<TFloat32> s = tf.reduceSum(tf.math.square(g), tf.constant(allAxes(g.shape().numDimensions())));
            sumOfSquares = sumOfSquares == null ? s : tf.math.add(sumOfSquares, s);
        }
        Operand<TFloat32> norm = tf.withName("gradient_norm").math.sqrt(sumOfSquares);
        Operand<TFloat32> factor = tf.math.div(tf.constant((float) maxNorm), tf.math.add(norm, tf.constant(1e-6f)));
        return tf.withName("gradient_clip_factor").math.minimum(factor, tf.constant(1f));
    }

    private static int[] allAxes(int rank) {
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        return axes;
    }
}

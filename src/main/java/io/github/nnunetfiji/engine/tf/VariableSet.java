package io.github.nnunetfiji.engine.tf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssignVariableOp;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;

/**
 * The resource variables of a training graph: the network's parameters and the optimizer's slots.
 * Every variable is read exactly once in the graph, so the gradient with respect to that read is
 * the variable's gradient; every variable has a placeholder-fed assign, used to initialize and to
 * restore checkpoints without any file-reading op in the graph.
 */
final class VariableSet implements ParameterSource {

    /** One variable with its read, its feedable assign and its initial values. */
    static final class Var {
        final String name;
        final long[] shape;
        final int size;
        final boolean trainable;
        final ParameterInit init;
        final VarHandleOp handle;
        final Operand<TFloat32> read;
        final Placeholder<TFloat32> assignValue;
        final AssignVariableOp assign;

        Var(Ops tf, String name, long[] shape, boolean trainable, ParameterInit init) {
            this.name = name;
            this.shape = shape.clone();
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            this.size = Math.toIntExact(n);
            this.trainable = trainable;
            this.init = init;
            Ops scoped = tf.withSubScope(name);
            this.handle = scoped.withName("var").varHandleOp(TFloat32.class, Shape.of(shape),
                    VarHandleOp.sharedName(name));
            this.read = scoped.withName("read").readVariableOp(handle, TFloat32.class);
            this.assignValue = scoped.withName("value").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(shape)));
            this.assign = scoped.withName("assign").assignVariableOp(handle, assignValue);
        }
    }

    private final List<Var> vars = new ArrayList<>();

    @Override
    public Operand<TFloat32> get(Ops tf, String name, long[] shape, ParameterInit init) {
        return add(tf, name, shape, true, init).read;
    }

    /** An optimizer slot (momentum, Adam moments) shaped like {@code of}, starting at zero. */
    Var slot(Ops tf, Var of, String slotName) {
        return add(tf, of.name + "." + slotName, of.shape, false, ParameterInit.zeros());
    }

    private Var add(Ops tf, String name, long[] shape, boolean trainable, ParameterInit init) {
        for (Var v : vars) {
            if (v.name.equals(name)) {
                throw new IllegalStateException("Duplicate variable " + name);
            }
        }
        Var v = new Var(tf, name, shape, trainable, init);
        vars.add(v);
        return v;
    }

    List<Var> all() {
        return Collections.unmodifiableList(vars);
    }

    List<Var> trainable() {
        return vars.stream().filter(v -> v.trainable).toList();
    }

    Var byName(String name) {
        for (Var v : vars) {
            if (v.name.equals(name)) {
                return v;
            }
        }
        return null;
    }

    long trainableParameterCount() {
        return trainable().stream().mapToLong(v -> v.size).sum();
    }
}

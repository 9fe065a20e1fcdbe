package io.github.nnunetfiji.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.LossSpec;
import io.github.nnunetfiji.engine.OptimizerSpec;
import io.github.nnunetfiji.engine.Processor;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.train.TrainRequest;
import io.github.nnunetfiji.train.augment.AugmentationOptions;
import io.github.nnunetfiji.train.data.DataOptions;

/** The options users' code and scripts build: values whose {@code with*} copy, never change. */
class OptionsAreValuesTest {

    private static final List<Object> DEFAULTS = List.of(PredictionOptions.defaults(), EngineOptions.defaults(),
            EngineOptions.cpu(2), AugmentationOptions.defaults(), AugmentationOptions.none(), DataOptions.defaults(),
            LossSpec.defaults(), OptimizerSpec.defaults());

    @Test
    void everyWithReturnsAChangedCopyAndLeavesTheOriginal() throws Exception {
        int checked = 0;
        for (Object original : DEFAULTS) {
            for (Method m : original.getClass().getMethods()) {
                if (!m.getName().startsWith("with") || m.getParameterCount() != 1
                        || Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                Map<String, Object> before = state(original);
                String name = Character.toLowerCase(m.getName().charAt(4)) + m.getName().substring(5);
                assertTrue(before.containsKey(name), m + " names no value");
                Object value = other(m.getParameterTypes()[0], before.get(name));
                Object copy = m.invoke(original, value);
                assertNotSame(original, copy, m.toString());
                assertEquals(before, state(original), m + " changed the original");
                Map<String, Object> expected = new LinkedHashMap<>(before);
                expected.put(name, value);
                assertEquals(expected, state(copy), m + " changed more or less than its value");
                checked++;
            }
        }
        assertTrue(checked > 50, "with* methods checked: " + checked);
    }

    @Test
    void noPublicMutableFields() {
        for (Class<?> c : List.of(PredictionOptions.class, EngineOptions.class, AugmentationOptions.class,
                DataOptions.class, TrainRequest.class, TrainRequest.Builder.class)) {
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                assertTrue(Modifier.isStatic(mod) && Modifier.isFinal(mod) || Modifier.isPrivate(mod),
                        c.getSimpleName() + "." + f.getName() + " is visible and mutable");
            }
        }
    }

    private static Map<String, Object> state(Object o) throws IllegalAccessException {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Field> fields = new ArrayList<>(List.of(o.getClass().getDeclaredFields()));
        for (Field f : fields) {
            if (!Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                m.put(f.getName(), f.get(o));
            }
        }
        return m;
    }

    /** A value of type {@code t} different from {@code current}. */
    private static Object other(Class<?> t, Object current) {
        Object v;
        if (t == boolean.class) {
            v = !(Boolean) current;
        } else if (t == int.class) {
            v = (Integer) current + 3;
        } else if (t == long.class) {
            v = (Long) current + 3;
        } else if (t == double.class) {
            double d = (Double) current;
            v = Double.isNaN(d) ? 0.25 : d + 0.125;
        } else if (t.isEnum()) {
            Object[] values = t.getEnumConstants();
            v = Objects.equals(values[0], current) ? values[1] : values[0];
        } else if (t == Processor.class) {
            v = Processor.unknown("test processor");
        } else if (t == AugmentationOptions.class) {
            v = AugmentationOptions.none();
        } else {
            throw new AssertionError("no test value for " + t);
        }
        return v;
    }
}

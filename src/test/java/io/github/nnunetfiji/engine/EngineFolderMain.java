package io.github.nnunetfiji.engine;

import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * Run in a fresh JVM by {@link EngineFolderTest}: loads the engine from an engine folder (or, with
 * {@code fiji}, from the Fiji installation named by {@code imagej.dir}), trains and predicts; with {@code tf1} also runs TensorFlow 1.x from the application class path before
 * and after, as in a Fiji with the CSBDeep update site. Prints {@code ENGINE FOLDER OK} on success.
 */
public final class EngineFolderMain {

    private EngineFolderMain() {
    }

    public static void main(String[] args) throws Exception {
        // "fiji": find the engine as in Fiji, through the installation folder (imagej.dir).
        boolean fiji = args[0].equals("fiji");
        boolean tf1 = args.length > 1 && args[1].equals("tf1");
        if (tf1) {
            System.out.println("TF1 before: version " + tf1Version() + ", 2 + 3 = " + tf1Add(2, 3));
        }
        try (Engine engine = fiji ? EngineLoader.load(EngineOptions.cpu(2))
                : EngineLoader.fromFolder(Path.of(args[0]), EngineOptions.cpu(2))) {
            ClassLoader engineLoader = engine.getClass().getClassLoader();
            if (!(engineLoader instanceof ChildFirstClassLoader)) {
                throw new AssertionError("engine not isolated: " + engineLoader);
            }
            NetworkSpec spec = NetworkSpec.uniformBuilder(3, 1, 2, 2, 4, 8)
                    .optimizer(OptimizerSpec.adam(1e-2)).build();
            Batch b = new SphereData(new int[] {8, 8, 8}, 1, 0.3).batch(2);
            try (Network net = engine.create(spec)) {
                float first = net.trainStep(b);
                float second = net.trainStep(b);
                float[] p = net.predict(Batch.images(2, new int[] {8, 8, 8}, 1, b.images()));
                if (!(Float.isFinite(first) && Float.isFinite(second)) || p.length != 2 * 512 * 2) {
                    throw new AssertionError("engine produced no sensible result");
                }
            }
            System.out.println("Engine: " + engine.description());
            Class<?> tfInEngine = Class.forName("org.tensorflow.TensorFlow", false, engineLoader);
            if (tfInEngine.getClassLoader() != engineLoader) {
                throw new AssertionError("engine sees TensorFlow from " + tfInEngine.getClassLoader());
            }
        }
        if (tf1) {
            String v = tf1Version();
            if (!v.startsWith("1.")) {
                throw new AssertionError("application class path lost TensorFlow 1: " + v);
            }
            float sum = tf1Add(4, 5);
            if (sum != 9f) {
                throw new AssertionError("TF1 computed " + sum);
            }
            System.out.println("TF1 after: version " + v + ", 4 + 5 = " + sum);
        }
        if (fiji) {
            // The About command in a SciJava context, as Fiji runs it, reports where the engine is.
            try (org.scijava.Context context = new org.scijava.Context()) {
                org.scijava.command.CommandModule m = context.service(org.scijava.command.CommandService.class)
                        .run("io.github.nnunetfiji.fiji.AboutCommand", true, "startengine", true).get();
                System.out.println("ABOUT " + m.getOutput("report"));
            }
        }
        System.out.println("ENGINE FOLDER OK");
    }

    /** TensorFlow 1.x through reflection: this class is compiled against another TensorFlow. */
    private static String tf1Version() throws Exception {
        return (String) Class.forName("org.tensorflow.TensorFlow").getMethod("version").invoke(null);
    }

    private static float tf1Add(float a, float b) throws Exception {
        Class<?> graphClass = Class.forName("org.tensorflow.Graph");
        Class<?> tensorClass = Class.forName("org.tensorflow.Tensor");
        Class<?> dataType = Class.forName("org.tensorflow.DataType");
        Object floatType = dataType.getField("FLOAT").get(null);
        try (AutoCloseable graph = (AutoCloseable) graphClass.getConstructor().newInstance();
                AutoCloseable ta = (AutoCloseable) tensorClass.getMethod("create", Object.class).invoke(null, a);
                AutoCloseable tb = (AutoCloseable) tensorClass.getMethod("create", Object.class).invoke(null, b)) {
            Object ca = constant(graph, "a", ta, floatType, dataType, tensorClass);
            Object cb = constant(graph, "b", tb, floatType, dataType, tensorClass);
            Object builder = graphClass.getMethod("opBuilder", String.class, String.class).invoke(graph, "Add", "sum");
            Class<?> outputClass = Class.forName("org.tensorflow.Output");
            Method addInput = builder.getClass().getMethod("addInput", outputClass);
            Method output = ca.getClass().getMethod("output", int.class);
            addInput.invoke(builder, output.invoke(ca, 0));
            addInput.invoke(builder, output.invoke(cb, 0));
            builder.getClass().getMethod("build").invoke(builder);
            Class<?> sessionClass = Class.forName("org.tensorflow.Session");
            try (AutoCloseable session = (AutoCloseable) sessionClass.getConstructor(graphClass).newInstance(graph)) {
                Object runner = sessionClass.getMethod("runner").invoke(session);
                runner = runner.getClass().getMethod("fetch", String.class).invoke(runner, "sum");
                java.util.List<?> out = (java.util.List<?>) runner.getClass().getMethod("run").invoke(runner);
                try (AutoCloseable t = (AutoCloseable) out.get(0)) {
                    return (Float) tensorClass.getMethod("floatValue").invoke(t);
                }
            }
        }
    }

    private static Object constant(Object graph, String name, Object tensor, Object floatType, Class<?> dataType,
            Class<?> tensorClass) throws Exception {
        Object builder = graph.getClass().getMethod("opBuilder", String.class, String.class).invoke(graph, "Const", name);
        builder = builder.getClass().getMethod("setAttr", String.class, dataType).invoke(builder, "dtype", floatType);
        builder = builder.getClass().getMethod("setAttr", String.class, tensorClass).invoke(builder, "value", tensor);
        return builder.getClass().getMethod("build").invoke(builder);
    }
}

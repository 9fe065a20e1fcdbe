package io.github.nnunetfiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine loaded from an engine folder in a fresh JVM whose class path has only the plugin's
 * classes (and, in the slow run, TensorFlow 1.15 as Fiji has it): a native library binds to one
 * class loader per JVM, so this cannot share the test JVM, which already has TensorFlow Java.
 */
class EngineFolderTest {

    @TempDir
    Path dir;

    /** The jars of TensorFlow Java and its dependencies, found through classes they hold. */
    private static Set<Path> engineJars() throws Exception {
        Set<Path> jars = new LinkedHashSet<>();
        for (String cls : new String[] {"org.tensorflow.Graph", "org.tensorflow.internal.c_api.TF_Graph",
                "org.tensorflow.ndarray.NdArray", "org.bytedeco.javacpp.Loader", "com.google.protobuf.Message"}) {
            jars.add(jarOf(Class.forName(cls, false, EngineFolderTest.class.getClassLoader())));
        }
        String natives = "org/tensorflow/internal/c_api/linux-x86_64/libjnitensorflow.so";
        String url = EngineFolderTest.class.getClassLoader().getResource(natives).toString();
        jars.add(Path.of(new java.net.URI(url.substring("jar:".length(), url.indexOf("!/")))));
        return jars;
    }

    private static Path jarOf(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private Path engineFolder() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("engine"));
        for (Path jar : engineJars()) {
            // The update site's layout: each platform's native library in lib/PLATFORM/.
            Path link = jar.getFileName().toString().contains("linux-x86_64")
                    ? Files.createDirectories(folder.resolve("lib/linux64")).resolve("tensorflow-core-native-1.1.0.jar")
                    : folder.resolve(jar.getFileName());
            Files.createSymbolicLink(link, jar);
        }
        return folder;
    }

    private String runChild(List<Path> extraClassPath, String... args) throws Exception {
        List<String> cp = new ArrayList<>();
        cp.add(jarOf(EngineLoader.class).toString()); // target/classes
        cp.add(jarOf(EngineFolderTest.class).toString()); // target/test-classes
        cp.add(jarOf(com.google.gson.Gson.class).toString());
        extraClassPath.forEach(p -> cp.add(p.toString()));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, cp), EngineFolderMain.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM timed out");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("ENGINE FOLDER OK"), out);
        System.out.println(out.lines().filter(l -> l.startsWith("TF1") || l.startsWith("Engine")).toList());
        return out;
    }

    @Test
    void engineRunsFromFolderWithoutTensorFlowOnTheClassPath() throws Exception {
        runChild(List.of(), engineFolder().toString());
    }

    @Test
    @EnabledIfSystemProperty(named = "nnunet.slow", matches = "true")
    void engineCoexistsWithTensorFlow1OnTheClassPath() throws Exception {
        Path tf1 = Path.of(System.getProperty("nnunet.tensorflow1"));
        List<Path> jars;
        try (Stream<Path> s = Files.list(tf1)) {
            jars = s.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
        assertEquals(2, jars.size(), "libtensorflow and libtensorflow_jni 1.15 in " + tf1);
        String out = runChild(jars, engineFolder().toString(), "tf1");
        assertTrue(out.contains("TF1 before: version 1.15.0") && out.contains("TF1 after: version 1.15.0"), out);
    }

}

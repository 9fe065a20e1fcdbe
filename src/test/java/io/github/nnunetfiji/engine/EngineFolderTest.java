package io.github.nnunetfiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
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
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine loaded from an engine folder in a fresh JVM whose class path has only the plugin's
 * classes and JNA, as Fiji has them, started without TF_ENABLE_ONEDNN_OPTS (the engine still runs
 * oneDNN), and in a Fiji-like installation next to TensorFlow 1.15. A native library binds to one
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
        cp.add(jarOf(com.sun.jna.Native.class).toString()); // Fiji ships JNA, which turns oneDNN on
        extraClassPath.forEach(p -> cp.add(p.toString()));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, cp), EngineFolderMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("TF_ENABLE_ONEDNN_OPTS"); // as Fiji starts: oneDNN must come from the engine
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM timed out");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("ENGINE FOLDER OK"), out);
        assertTrue(out.contains("oneDNN on (TF_ENABLE_ONEDNN_OPTS=1 set by the engine)"), out);
        System.out.println(out.lines().filter(l -> l.startsWith("TF1") || l.startsWith("Engine")).toList());
        return out;
    }

    @Test
    void engineRunsFromFolderWithoutTensorFlowOnTheClassPath() throws Exception {
        runChild(List.of(), engineFolder().toString());
    }

    /** TensorFlow 1.15 jars as CSBDeep ships them (fetched into target/tensorflow1 by the build). */
    private static List<Path> tensorFlow1Jars() throws IOException {
        Path tf1 = Path.of(System.getProperty("nnunet.tensorflow1", "target/tensorflow1"));
        List<Path> jars;
        try (Stream<Path> s = Files.list(tf1)) {
            jars = s.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
        assertEquals(2, jars.size(), "libtensorflow and libtensorflow_jni 1.15 in " + tf1);
        return jars;
    }

    /** A jar of the plugin's compiled classes (with the SciJava index), as the build packages it. */
    private static void pluginJar(Path classes, Path jar) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(jar)); Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                z.putNextEntry(new ZipEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
                Files.copy(p, z);
                z.closeEntry();
            }
        }
    }

    /**
     * A Fiji-like installation: ImageJ 1, scijava-common, ImgLib2 and gson in jars/, the plugin jar and
     * TensorFlow 1.15 (as the CSBDeep update site puts it) beside them, and the engine folder as the
     * update site installs it. A fresh JVM with jars/ as class path finds the engine through the
     * installation folder, trains and predicts, and TensorFlow 1.15 computes before and after; the
     * About command reports the engine folder it used.
     */
    @Test
    void engineInFijiNextToTensorFlow1() throws Exception {
        Path fiji = dir.resolve("Fiji.app");
        Path jars = Files.createDirectories(fiji.resolve("jars"));
        for (String cls : new String[] {"ij.ImagePlus", "org.scijava.Context", "org.scijava.parsington.Variable",
                "net.imglib2.Interval", "com.google.gson.Gson"}) {
            Path jar = jarOf(Class.forName(cls, false, EngineFolderTest.class.getClassLoader()));
            Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
        }
        pluginJar(jarOf(EngineLoader.class), jars.resolve("nnunet_fiji-test.jar"));
        for (Path jar : tensorFlow1Jars()) {
            Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
        }
        Path engine = Files.createDirectories(fiji.resolve(EngineLoader.FIJI_ENGINE_DIR));
        Files.move(engineFolder(), engine, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dimagej.dir=" + fiji, "-Djava.awt.headless=true", "-cp",
                jars + File.separator + "*" + File.pathSeparator + jarOf(EngineFolderTest.class),
                EngineFolderMain.class.getName(), "fiji", "tf1");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM timed out");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("ENGINE FOLDER OK"), out);
        assertTrue(out.contains("TF1 before: version 1.15.0") && out.contains("TF1 after: version 1.15.0"), out);
        assertTrue(out.contains("Engine folder: " + engine + " (the Fiji installation)"), out);
        assertTrue(out.contains("Engine: TensorFlow 2."), out);
        System.out.println(out.lines().filter(l -> l.startsWith("TF1") || l.startsWith("Engine")).toList());
    }

}

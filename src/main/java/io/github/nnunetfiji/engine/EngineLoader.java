package io.github.nnunetfiji.engine;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Finds the engine implementation. Two ways:
 * <ul>
 *   <li>{@link #fromClassPath}: TensorFlow Java is on the application class path (tests, the command
 *       line run through Maven).</li>
 *   <li>{@link #fromFolder}: TensorFlow Java's jars (with natives) lie in an engine folder; they and
 *       the adapter classes are loaded by a {@link ChildFirstClassLoader}, isolated from whatever
 *       else (e.g. TensorFlow 1.x in Fiji) is on the class path.</li>
 * </ul>
 * One class loader per folder and JVM: a native library binds to the first class loader that loads
 * it, so a second loader for the same engine could not load TensorFlow again.
 */
public final class EngineLoader {

    /** The TensorFlow Java implementation's factory. */
    public static final String TENSORFLOW_FACTORY = "io.github.nnunetfiji.engine.tf.TfEngineFactory";
    static final String TENSORFLOW_PACKAGE = "io.github.nnunetfiji.engine.tf.";

    /** System property naming the engine folder; {@link #ENGINE_DIR_ENV} is the fallback. */
    public static final String ENGINE_DIR_PROPERTY = "nnunet.engine.dir";
    public static final String ENGINE_DIR_ENV = "NNUNET_ENGINE_DIR";
    /** The engine folder's name inside a Fiji installation, beside {@code jars/}. */
    public static final String FIJI_ENGINE_DIR = "nnunet-engine";

    private static final Map<Path, ChildFirstClassLoader> LOADERS = new ConcurrentHashMap<>();

    private EngineLoader() {
    }

    /**
     * The engine from {@link #configuredFolder} when there is one, else from the class path.
     */
    public static Engine load(EngineOptions options) throws IOException {
        Optional<Path> folder = configuredFolder(System.getProperties(), System.getenv());
        if (folder.isPresent() && !Files.isDirectory(folder.get())) {
            throw new IllegalStateException("The engine folder " + folder.get() + " does not exist. " + INSTALL);
        }
        return folder.isPresent() ? fromFolder(folder.get(), options) : fromClassPath(options);
    }

    /** What to install when there is no engine; part of every "engine missing" message. */
    public static final String INSTALL = "Install the nnU-Net engine (TensorFlow Java): in Fiji, Help > Update... > "
            + "Manage update sites, add the nnU-Net update site, apply and restart Fiji (it puts the engine in "
            + "<Fiji>/" + FIJI_ENGINE_DIR + "/, with the native library for your platform in lib/PLATFORM/). "
            + "Elsewhere, build the engine folder with 'mvn -Pengine-folder package' (target/engine) and name it with "
            + "-D" + ENGINE_DIR_PROPERTY + "=FOLDER or " + ENGINE_DIR_ENV + "=FOLDER.";

    /**
     * The engine folder: {@value #ENGINE_DIR_PROPERTY}, else {@value #ENGINE_DIR_ENV}, else
     * {@value #FIJI_ENGINE_DIR} inside the Fiji installation (the ImageJ launcher's
     * {@code imagej.dir}, {@code fiji.dir} or {@code ij.dir}) if it exists there. Fiji scans
     * {@code jars/} and {@code plugins/} recursively, so the engine must not live below them.
     */
    public static Optional<Path> configuredFolder(Properties properties, Map<String, String> environment) {
        String dir = properties.getProperty(ENGINE_DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = environment.get(ENGINE_DIR_ENV);
        }
        if (dir != null && !dir.isBlank()) {
            return Optional.of(Path.of(dir));
        }
        for (String key : new String[] {"imagej.dir", "fiji.dir", "ij.dir"}) {
            String app = properties.getProperty(key);
            if (app != null && !app.isBlank() && Files.isDirectory(Path.of(app, FIJI_ENGINE_DIR))) {
                return Optional.of(Path.of(app, FIJI_ENGINE_DIR));
            }
        }
        return Optional.empty();
    }

    /** The TensorFlow engine from the class path; fails if TensorFlow Java is not on it. */
    public static Engine fromClassPath(EngineOptions options) {
        return create(EngineLoader.class.getClassLoader(), options);
    }

    /**
     * The TensorFlow engine from the jars in {@code engineFolder} (and below its {@code lib/}), loaded
     * child-first. The adapter classes come from the jar (or class folder) holding this class.
     */
    public static Engine fromFolder(Path engineFolder, EngineOptions options) throws IOException {
        return create(loaderFor(engineFolder), options);
    }

    /** The isolating class loader of an engine folder, created once per folder and JVM. */
    public static ClassLoader loaderFor(Path engineFolder) throws IOException {
        Path key = engineFolder.toRealPath();
        ChildFirstClassLoader existing = LOADERS.get(key);
        if (existing != null) {
            return existing;
        }
        List<URL> urls = new ArrayList<>();
        urls.add(ownLocation());
        // Jars in the folder itself, and below lib/ at any depth: the update site puts each
        // platform's native library in lib/PLATFORM/ (the updater installs only the user's one).
        for (Path dir : List.of(key, key.resolve("lib"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = dir.equals(key) ? Files.list(dir) : Files.walk(dir)) {
                for (Path jar : s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                    urls.add(jar.toUri().toURL());
                }
            }
        }
        if (urls.size() == 1) {
            throw new IOException("No engine jars in " + key + ". " + INSTALL);
        }
        return LOADERS.computeIfAbsent(key, k -> new ChildFirstClassLoader(urls.toArray(new URL[0]),
                EngineLoader.class.getClassLoader(), TENSORFLOW_PACKAGE));
    }

    private static URL ownLocation() throws IOException {
        try {
            URL u = EngineLoader.class.getProtectionDomain().getCodeSource().getLocation();
            return Path.of(u.toURI()).toUri().toURL();
        } catch (URISyntaxException | MalformedURLException | NullPointerException e) {
            throw new IOException("Cannot locate the plugin's own classes", e);
        }
    }

    private static Engine create(ClassLoader loader, EngineOptions options) {
        try {
            Class<?> c = Class.forName(TENSORFLOW_FACTORY, true, loader);
            EngineFactory f = (EngineFactory) c.getDeclaredConstructor().newInstance();
            return f.create(options);
        } catch (ClassNotFoundException | LinkageError e) {
            // LinkageError: TensorFlow Java missing, TensorFlow 1.x in its place on Fiji's class path
            // (NoSuchMethodError), or no native library for this platform (UnsatisfiedLinkError).
            String where = loader instanceof ChildFirstClassLoader ? "the engine folder" : "the class path";
            throw new IllegalStateException("No usable TensorFlow Java in " + where + " (" + e + "). " + INSTALL, e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot start the engine: " + e, e);
        }
    }
}

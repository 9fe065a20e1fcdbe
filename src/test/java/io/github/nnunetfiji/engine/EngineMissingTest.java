package io.github.nnunetfiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * First use without an engine: the message says exactly what to install, wherever the engine is
 * missing (no TensorFlow Java on the class path, an empty engine folder, a named folder that does
 * not exist).
 */
class EngineMissingTest {

    @TempDir
    Path tmp;

    private static void assertSaysWhatToInstall(String message) {
        assertTrue(message.contains("add the nnU-Net update site"), message);
        assertTrue(message.contains("<Fiji>/nnunet-engine/"), message);
        assertTrue(message.contains("mvn -Pengine-folder package"), message);
        assertTrue(message.contains("-Dnnunet.engine.dir=FOLDER") && message.contains("NNUNET_ENGINE_DIR=FOLDER"),
                message);
    }

    @Test
    void noTensorFlowOnTheClassPath() throws Exception {
        // The plugin's classes alone, as in a Fiji without the engine: no TensorFlow Java visible.
        URL classes = EngineLoader.class.getProtectionDomain().getCodeSource().getLocation();
        URL gson = com.google.gson.Gson.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader fiji = new URLClassLoader(new URL[] {classes, gson}, ClassLoader.getPlatformClassLoader())) {
            Class<?> loader = fiji.loadClass(EngineLoader.class.getName());
            Class<?> options = fiji.loadClass(EngineOptions.class.getName());
            Object defaults = options.getMethod("defaults").invoke(null);
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> loader.getMethod("fromClassPath", options).invoke(null, defaults));
            assertEquals(IllegalStateException.class.getName(), e.getCause().getClass().getName());
            assertTrue(e.getCause().getMessage().startsWith("No usable TensorFlow Java in the class path"),
                    e.getCause().getMessage());
            assertSaysWhatToInstall(e.getCause().getMessage());
        }
    }

    @Test
    void emptyEngineFolder() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("nnunet-engine"));
        IOException e = assertThrows(IOException.class, () -> EngineLoader.fromFolder(empty, EngineOptions.cpu(1)));
        assertTrue(e.getMessage().startsWith("No engine jars in " + empty.toRealPath()), e.getMessage());
        assertSaysWhatToInstall(e.getMessage());
    }

    @Test
    void namedFolderThatDoesNotExist() {
        String old = System.getProperty(EngineLoader.ENGINE_DIR_PROPERTY);
        System.setProperty(EngineLoader.ENGINE_DIR_PROPERTY, tmp.resolve("missing").toString());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EngineLoader.load(EngineOptions.cpu(1)));
            assertTrue(e.getMessage().startsWith("The engine folder " + tmp.resolve("missing") + " does not exist"),
                    e.getMessage());
            assertSaysWhatToInstall(e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(EngineLoader.ENGINE_DIR_PROPERTY);
            } else {
                System.setProperty(EngineLoader.ENGINE_DIR_PROPERTY, old);
            }
        }
    }
}

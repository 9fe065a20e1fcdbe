package io.github.nnunetfiji.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;

import org.junit.jupiter.api.Test;

/** What an engine loader takes from its own jars and what it shares with the application. */
class ChildFirstClassLoaderTest {

    private static ChildFirstClassLoader loader() {
        URL classes = EngineLoader.class.getProtectionDomain().getCodeSource().getLocation();
        return new ChildFirstClassLoader(new URL[] {classes}, EngineLoader.class.getClassLoader(),
                EngineLoader.TENSORFLOW_PACKAGE);
    }

    @Test
    void sharesTheJdkAndTheCoreButNotTheEngine() {
        try (ChildFirstClassLoader l = loader()) {
            assertTrue(l.parentFirst("java.lang.String"));
            assertTrue(l.parentFirst("io.github.nnunetfiji.engine.Engine"));
            assertTrue(l.parentFirst("io.github.nnunetfiji.util.Json"));
            assertFalse(l.parentFirst("io.github.nnunetfiji.engine.tf.TfEngine"));
            assertFalse(l.parentFirst("org.tensorflow.Graph"));
            assertFalse(l.parentFirst("com.google.protobuf.Message"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void engineClassesAreItsOwnCopiesAndTheInterfaceIsShared() throws Exception {
        try (ChildFirstClassLoader l = loader()) {
            Class<?> own = Class.forName("io.github.nnunetfiji.engine.tf.TfLayout", false, l);
            Class<?> app = Class.forName("io.github.nnunetfiji.engine.tf.TfLayout", false,
                    EngineLoader.class.getClassLoader());
            assertSame(l, own.getClassLoader());
            assertNotSame(app, own);
            assertSame(NetworkSpec.class, Class.forName(NetworkSpec.class.getName(), false, l));
            // Not in the child's jars: falls back to the application.
            assertSame(com.google.gson.Gson.class, Class.forName("com.google.gson.Gson", false, l));
        }
    }
}

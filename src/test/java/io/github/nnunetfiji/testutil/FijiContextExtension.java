package io.github.nnunetfiji.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.scijava.Context;
import org.scijava.service.Service;

import io.github.nnunetfiji.inference.models.ModelRegistry;

/**
 * What a test of the Fiji commands sets up: a SciJava {@link Context} to run them in, and a models
 * folder of its own (the {@value ModelRegistry#MODELS_DIR_PROPERTY} property while each test runs),
 * so that no test sees or changes the installed models of the machine.
 *
 * <pre>
 * &#64;RegisterExtension
 * final FijiContextExtension fiji = new FijiContextExtension();
 * ...
 * fiji.service(CommandService.class).run(AboutCommand.class, true).get();
 * fiji.modelsFolder();   // WORK/models, empty and not yet made
 * </pre>
 *
 * <p>On an instance field every test gets a Context of its own; on a static field the tests of
 * the class share one (made before the class's {@code @BeforeAll} methods need it). Either way the
 * Context is made when first asked for and disposed after the test (or class). The models folder is
 * new for every test: a folder {@code models} not yet made in a temporary folder, which is deleted
 * afterwards; the property's earlier value is restored.
 */
public final class FijiContextExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private boolean perClass;
    private Context context;
    private Path root;
    private String previousModels;

    /** The Context, made on first use. */
    public Context context() {
        if (context == null) {
            context = new Context();
        }
        return context;
    }

    /** A service of the Context. */
    public <S extends Service> S service(Class<S> type) {
        return context().service(type);
    }

    /** This test's models folder, named by the models-folder property; it does not exist until a test makes it. */
    public Path modelsFolder() {
        if (root == null) {
            throw new IllegalStateException("The models folder exists only while a test runs");
        }
        return root.resolve("models");
    }

    @Override
    public void beforeAll(ExtensionContext extension) {
        perClass = true;
    }

    @Override
    public void beforeEach(ExtensionContext extension) throws IOException {
        root = Files.createTempDirectory("nnunet-fiji-test");
        previousModels = System.getProperty(ModelRegistry.MODELS_DIR_PROPERTY);
        System.setProperty(ModelRegistry.MODELS_DIR_PROPERTY, modelsFolder().toString());
    }

    @Override
    public void afterEach(ExtensionContext extension) throws IOException {
        try {
            if (previousModels == null) {
                System.clearProperty(ModelRegistry.MODELS_DIR_PROPERTY);
            } else {
                System.setProperty(ModelRegistry.MODELS_DIR_PROPERTY, previousModels);
            }
            delete(root);
        } finally {
            root = null;
            if (!perClass) {
                dispose();
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext extension) {
        dispose();
    }

    private void dispose() {
        if (context != null) {
            context.dispose();
            context = null;
        }
    }

    private static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

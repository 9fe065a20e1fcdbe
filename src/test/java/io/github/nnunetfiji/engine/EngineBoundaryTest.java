package io.github.nnunetfiji.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Only io.github.nnunetfiji.engine.tf may touch TensorFlow Java or JavaCPP: everything else must
 * load in a Fiji whose class path holds another TensorFlow. Checked in sources and in compiled
 * classes (whose constant pools name every referenced class).
 */
class EngineBoundaryTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path CLASSES = Path.of("target/classes");
    private static final String ENGINE_DIR = "io/github/nnunetfiji/engine/tf/";

    private static List<Path> outsideEngine(Path root, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(suffix))
                    .filter(p -> !root.relativize(p).toString().replace('\\', '/').startsWith(ENGINE_DIR)).toList();
        }
    }

    @Test
    void noSourceOutsideTheEngineMentionsTensorFlowPackages() throws IOException {
        List<Path> files = outsideEngine(SOURCES, ".java");
        assertTrue(files.size() > 10, "sources found: " + files.size());
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            assertTrue(!text.contains("org.tensorflow") && !text.contains("org.bytedeco"), f + " references TensorFlow");
        }
    }

    @Test
    void noClassOutsideTheEngineReferencesTensorFlowClasses() throws IOException {
        List<Path> files = outsideEngine(CLASSES, ".class");
        assertTrue(files.size() > 10, "classes found: " + files.size());
        for (Path f : files) {
            String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertTrue(!bytes.contains("org/tensorflow") && !bytes.contains("org/bytedeco")
                    && !bytes.contains("org.tensorflow"), f + " references TensorFlow");
        }
    }

    @Test
    void theEngineFactoryNameMatchesTheImplementation() throws IOException {
        Path factory = CLASSES.resolve(EngineLoader.TENSORFLOW_FACTORY.replace('.', '/') + ".class");
        assertTrue(Files.isRegularFile(factory), factory.toString());
    }
}

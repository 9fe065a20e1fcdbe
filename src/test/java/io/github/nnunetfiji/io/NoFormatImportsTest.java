package io.github.nnunetfiji.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The package {@code io} knows its formats only through {@link ImageFormat}: none of its classes
 * refers to a format package ({@code io.nifti}, {@code io.tiff}, ...), so there is no package cycle
 * between {@code io} and the formats, which import {@code io}.
 */
class NoFormatImportsTest {

    private static final Pattern SOURCE_REF = Pattern.compile("io\\.github\\.nnunetfiji\\.io\\.[a-z]+\\.");
    private static final String CLASS_REF = "io/github/nnunetfiji/io/";

    @Test
    void noSourceOfPackageIoRefersToASubPackage() throws IOException {
        Path dir = Paths.get("src/main/java/io/github/nnunetfiji/io");
        List<Path> sources = filesIn(dir, ".java");
        assertTrue(sources.size() >= 4, "sources of package io not found in " + dir.toAbsolutePath());
        List<String> bad = new ArrayList<>();
        for (Path f : sources) {
            if (SOURCE_REF.matcher(Files.readString(f, StandardCharsets.UTF_8)).find()) {
                bad.add(f.getFileName().toString());
            }
        }
        assertTrue(bad.isEmpty(), "refer to a format package: " + bad);
    }

    @Test
    void noCompiledClassOfPackageIoRefersToASubPackage() throws IOException, URISyntaxException {
        Path dir = Paths.get(ImageIO.class.getResource("ImageIO.class").toURI()).getParent();
        List<Path> classes = filesIn(dir, ".class");
        assertTrue(classes.size() >= 4, "classes of package io not found in " + dir);
        List<String> bad = new ArrayList<>();
        for (Path f : classes) {
            // Class references sit in the constant pool as internal names (io/github/.../io/nifti/NiftiIO).
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            int i = text.indexOf(CLASS_REF);
            while (i >= 0) {
                String rest = text.substring(i + CLASS_REF.length(), Math.min(text.length(), i + CLASS_REF.length() + 40));
                if (rest.matches("(?s)[a-z]+/.*")) {
                    bad.add(f.getFileName() + " -> " + rest.split("[;\\x00-\\x1f]")[0]);
                }
                i = text.indexOf(CLASS_REF, i + 1);
            }
        }
        assertTrue(bad.isEmpty(), "refer to a format package: " + bad);
    }

    private static List<Path> filesIn(Path dir, String ending) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(ending)).sorted().toList();
        }
    }
}

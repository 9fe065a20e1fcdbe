package io.github.nnunetfiji.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The image files of cases in a folder, named by case (the file name without its ending), and a
 * case's prediction paired with its reference: what evaluation and postprocessing read.
 */
public final class CaseFiles {

    /** One case: its predicted label file and its reference label file. */
    public record Pair(String id, Path prediction, Path reference) {
    }

    private CaseFiles() {
    }

    /** Case name to file, for the supported image files of a folder, sorted by name. */
    public static Map<String, Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a folder");
        }
        Map<String, Path> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isRegularFile).filter(ImageIO::isSupported).sorted().toList()) {
                String name = p.getFileName().toString();
                m.put(name.substring(0, name.length() - ImageIO.endingOf(p).length()), p);
            }
        }
        return m;
    }
}

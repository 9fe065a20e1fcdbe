package io.github.nnunetfiji.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.github.nnunetfiji.io.ImageIO;

/** File-name helpers shared by the {@code dataset.json} forms and the loader. */
final class DatasetFiles {

    private DatasetFiles() {
    }

    static String stripEnding(String fileName, String ending) {
        return fileName.substring(0, fileName.length() - ending.length());
    }

    static List<Path> filesEndingWith(Path dir, String ending) {
        List<Path> out = new ArrayList<>();
        for (Path p : imageFilesIn(dir)) {
            if (p.getFileName().toString().endsWith(ending)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Image files (by ending) directly in a folder, sorted by name; hidden files are ignored. */
    static List<Path> imageFilesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        TreeSet<Path> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(ImageIO::isSupported)
                    .forEach(p -> files.add(p.toAbsolutePath().normalize()));
        } catch (IOException e) {
            return List.of();
        }
        return new ArrayList<>(files);
    }
}

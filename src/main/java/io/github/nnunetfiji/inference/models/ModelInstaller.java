package io.github.nnunetfiji.inference.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.github.nnunetfiji.util.Progress;

/**
 * Installs a model (a model folder, or a zip of one) into a models folder under a name, all or
 * nothing: the files go to a hidden temporary folder beside the target, are checked
 * ({@link InstalledModel#check}), and only then renamed into place; a failed or canceled
 * installation leaves no trace and an installed model of the same name untouched. Zip entries that
 * would land outside the folder ({@code ../}, absolute paths) are refused.
 */
public final class ModelInstaller {

    /** The configuration names, which name the folder a trainer writes (WORK/ds/models/CONFIG). */
    private static final Set<String> CONFIGURATIONS = Set.of("2d", "3d_fullres", "3d_lowres", "3d_cascade_fullres");

    private ModelInstaller() {
    }

    /** Names are folder names every file system accepts: letters, digits, '.', '_' and '-'. */
    public static boolean isValidName(String name) {
        return name != null && name.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");
    }

    /**
     * The name a model gets when none is given: a zip's base name; for a trainer's model folder
     * {@code WORK/<data set>/models/<CONFIG>}, {@code <data set>_<CONFIG>}; else the folder's name.
     */
    public static String defaultName(Path source) {
        String file = source.getFileName().toString();
        if (Files.isRegularFile(source)) {
            return sanitize(file.toLowerCase().endsWith(".zip") ? file.substring(0, file.length() - 4) : file);
        }
        Path parent = source.toAbsolutePath().normalize().getParent();
        if (CONFIGURATIONS.contains(file) && parent != null && parent.getFileName() != null
                && parent.getFileName().toString().equals("models") && parent.getParent() != null
                && parent.getParent().getFileName() != null) {
            return sanitize(parent.getParent().getFileName() + "_" + file);
        }
        return sanitize(file);
    }

    private static String sanitize(String s) {
        String n = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return n.startsWith(".") || n.startsWith("-") ? "_" + n.substring(1) : n;
    }

    /**
     * Installs {@code source} (model folder or zip) as {@code name} (null or blank: {@link #defaultName})
     * into the registry's folder; {@code replace} allows replacing an installed model of that name.
     */
    public static InstalledModel install(Path source, String name, ModelRegistry registry, boolean replace,
            Progress progress) throws IOException {
        if (!Files.exists(source)) {
            throw new IOException("Model not found: " + source + ". Choose a model folder or a .zip of one.");
        }
        String n = name == null || name.isBlank() ? defaultName(source) : name.trim();
        if (!isValidName(n)) {
            throw new IllegalArgumentException("Model name '" + n + "' is not allowed: use letters, digits, '.', '_' "
                    + "and '-' (at most 100, not starting with '.' or '-').");
        }
        Path models = Files.createDirectories(registry.folder());
        Path target = models.resolve(n);
        if (Files.exists(target) && !replace) {
            throw new IllegalArgumentException("A model named '" + n + "' is already installed in " + models
                    + ". Choose another name, or replace it.");
        }
        Path tmp = Files.createTempDirectory(models, ".install-" + n + "-");
        try {
            if (Files.isDirectory(source)) {
                progress.status("Copying model " + source);
                copyTree(source, tmp, progress);
            } else {
                progress.status("Unpacking model " + source);
                unzip(source, tmp, progress);
            }
            Path root = modelRoot(tmp, source);
            List<String> problems = InstalledModel.check(root);
            if (!problems.isEmpty()) {
                throw new IOException(source + " is not an nnU-Net model: " + String.join("; ", problems)
                        + ". A model folder is what nnU-Net Train writes to WORK/<data set>/models/<configuration>/.");
            }
            progress.checkCanceled();
            Path old = null;
            if (Files.exists(target)) {
                old = models.resolve(".replaced-" + n + "-" + tmp.getFileName().toString().substring(1));
                move(target, old);
            }
            try {
                move(root, target);
            } catch (IOException e) {
                if (old != null) {
                    move(old, target);
                }
                throw e;
            }
            if (old != null) {
                deleteTree(old);
            }
            return InstalledModel.read(n, target);
        } finally {
            deleteTree(tmp);
        }
    }

    /** The model inside an unpacked source: the folder itself or its one subfolder holding plans.json. */
    private static Path modelRoot(Path unpacked, Path source) throws IOException {
        if (Files.exists(unpacked.resolve(InstalledModel.PLANS))) {
            return unpacked;
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(unpacked)) {
            dirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().equals("__MACOSX")).toList();
        }
        if (dirs.size() == 1 && Files.exists(dirs.get(0).resolve(InstalledModel.PLANS))) {
            return dirs.get(0);
        }
        throw new IOException(source + " holds no plans.json, neither at its top nor in a single folder: "
                + "it is not an nnU-Net model.");
    }

    /** Extracts a zip into {@code into}, refusing any entry that would land outside it. */
    static void unzip(Path zip, Path into, Progress progress) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(z.entries());
            long done = 0;
            for (ZipEntry e : entries) {
                progress.checkCanceled();
                String entryName = e.getName().replace('\\', '/');
                Path target = root.resolve(entryName).normalize();
                if (entryName.startsWith("/") || entryName.matches("^[A-Za-z]:.*") || !target.startsWith(root)
                        || target.equals(root) && !e.isDirectory()) {
                    throw new IOException(zip + " holds the entry '" + e.getName()
                            + "', which points outside the folder it is unpacked into; refusing to install it.");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = z.getInputStream(e)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                progress.progress(++done, entries.size());
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(zip + " is not a readable zip file: " + e.getMessage(), e);
        }
    }

    private static void copyTree(Path from, Path to, Progress progress) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(from)) {
            s.forEach(files::add);
        }
        long done = 0;
        for (Path p : files) {
            progress.checkCanceled();
            Path q = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(q);
            } else {
                Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
            }
            progress.progress(++done, files.size());
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

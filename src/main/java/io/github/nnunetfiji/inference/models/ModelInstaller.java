package io.github.nnunetfiji.inference.models;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.github.nnunetfiji.io.ZipLinks;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.WorkInUseException;
import io.github.nnunetfiji.util.WorkLock;

/**
 * Installs a model (a model folder, or a zip of one) into a models folder under a name, all or
 * nothing: the files go to a hidden staging folder beside the target, are checked
 * ({@link InstalledModel#check}), and only then renamed into place; a failed or canceled
 * installation leaves no trace and an installed model of the same name untouched, and what a killed
 * one left is cleaned up by the next installation ({@link #cleanLeftovers}). Models are untrusted
 * files: symbolic links are refused (in a folder and in a zip), zip entries that would land outside
 * the folder ({@code ../}, absolute paths) or twice on one file are refused, and a zip may not expand
 * beyond the limits below (a zip bomb). Installed models are readable by all.
 */
public final class ModelInstaller {

    /**
     * At most this many entries in a zip: a model folder holds about 70 files (docs/training.md,
     * "The model folder": five folds and fold_all) and the folds' validation predictions, one per
     * training case.
     */
    static final int MAX_ZIP_ENTRIES = 10_000;
    /**
     * At most this many bytes unpacked from a zip: the checkpoints of five 3D folds and fold_all
     * make a few GB; this leaves room for larger ones and still stops a zip from filling a disk.
     */
    static final long MAX_UNPACKED_BYTES = 16L << 30;
    /**
     * Entries above {@link #RATIO_FREE_BYTES} may expand at most this many times: weights and
     * compressed images shrink less than 2:1, JSON and CSV about 10:1, while a zip bomb needs
     * deflate's maximum of about 1000:1 (runs of equal bytes).
     */
    static final int MAX_COMPRESSION_RATIO = 100;
    /** Entries up to this size may compress better (small JSON files, a padded header). */
    static final long RATIO_FREE_BYTES = 4L << 20;

    /** Ends the refusals of zips for what they hold. */
    private static final String NOT_A_MODEL = "A zip of a model folder that a training wrote never looks like "
            + "this: the file is not such a model (it is damaged, or made to do harm, such as filling the disk).";

    /** The hidden staging folders of installations, {@code .install-<name>-<random>}. */
    static final String STAGING_PREFIX = ".install-";
    /** In a staging folder: the file its installation holds locked while it runs. */
    private static final String LOCK = "lock";
    /** In a staging folder: where the model is copied or unpacked. */
    private static final String UNPACKED = "model";
    /** In a staging folder: where a {@link Conversion} writes the model it makes of the unpacked source. */
    private static final String CONVERTED = "converted";
    /** In a staging folder: an installed model the installation replaces, set aside under its name. */
    private static final String REPLACED = "replaced";
    /** A staging folder without lock file is left alone this long (see {@link #abandoned}). */
    static final Duration LOCKLESS_AGE = Duration.ofHours(1);

    /**
     * Limits on a zip: its number of entries, the bytes it unpacks to in all, and how many times an
     * entry above {@code ratioFreeBytes} may expand. {@link #DEFAULT} for installations; tests
     * pass smaller ones.
     */
    record Limits(int entries, long bytes, int ratio, long ratioFreeBytes) {
        static final Limits DEFAULT = new Limits(MAX_ZIP_ENTRIES, MAX_UNPACKED_BYTES, MAX_COMPRESSION_RATIO,
                RATIO_FREE_BYTES);
    }

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
        if (InstalledModel.CONFIGURATIONS.contains(file) && parent != null && parent.getFileName() != null
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
        return install(source, name, registry, replace, progress, Limits.DEFAULT);
    }

    /**
     * Makes a model folder of this project out of another form of model, unpacked (and checked as
     * any source is) into a staging folder: a model the reference implementation trained.
     */
    public interface Conversion {
        /**
         * Writes the model made from {@code unpacked} into {@code into} (which does not exist yet)
         * and returns the folder to install (into or a folder in it).
         */
        Path convert(Path unpacked, Path into, Progress progress) throws IOException;
    }

    /**
     * As {@link #install(Path, String, ModelRegistry, boolean, Progress)}, converting the unpacked
     * source with {@code conversion} before it is checked and moved into place; the staging folder
     * holds the conversion's files too, so a failed conversion leaves nothing behind.
     */
    public static InstalledModel install(Path source, String name, ModelRegistry registry, boolean replace,
            Progress progress, Conversion conversion) throws IOException {
        return install(source, name, registry, replace, progress, Limits.DEFAULT, conversion);
    }

    static InstalledModel install(Path source, String name, ModelRegistry registry, boolean replace,
            Progress progress, Limits limits) throws IOException {
        return install(source, name, registry, replace, progress, limits, null);
    }

    static InstalledModel install(Path source, String name, ModelRegistry registry, boolean replace,
            Progress progress, Limits limits, Conversion conversion) throws IOException {
        if (!Files.exists(source)) {
            throw new IOException("Model not found: " + source + ". Choose a model folder or a .zip of one.");
        }
        String n = name == null || name.isBlank() ? defaultName(source) : name.trim();
        if (!isValidName(n)) {
            throw new IllegalArgumentException("Model name '" + n + "' is not allowed: use letters, digits, '.', '_' "
                    + "and '-' (at most 100, not starting with '.' or '-').");
        }
        Path models = Files.createDirectories(registry.folder());
        cleanLeftovers(models);
        Path target = models.resolve(n);
        if (Files.exists(target) && !replace) {
            throw new IllegalArgumentException("A model named '" + n + "' is already installed in " + models
                    + ". Choose another name, or replace it.");
        }
        // Everything the source declares is checked before anything is written.
        try (Copy copy = Files.isDirectory(source) ? folderCopy(source) : zipCopy(source, limits);
                Staging staging = Staging.create(models, n)) {
            progress.status((Files.isDirectory(source) ? "Copying model " : "Unpacking model ") + source);
            copy.into(staging.unpacked(), progress);
            Path root;
            if (conversion != null) {
                root = conversion.convert(staging.unpacked(), staging.dir().resolve(CONVERTED), progress);
            } else {
                root = exportRoot(staging.unpacked(), source).orElse(null);
                if (root == null) {
                    root = modelRoot(staging.unpacked(), source);
                }
            }
            List<String> problems = InstalledModel.check(root);
            if (!problems.isEmpty()) {
                throw new ModelRefusedException(source + " is not an nnU-Net model: " + String.join("; ", problems)
                        + ". A model folder is what a training writes to WORK/<data set>/models/<configuration>/.");
            }
            readableByAll(root);
            progress.checkCanceled();
            Path old = null;
            if (Files.exists(target)) {
                old = Files.createDirectories(staging.dir().resolve(REPLACED)).resolve(n);
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
            return InstalledModel.read(n, target);
        }
    }

    /**
     * An exported model (ModelExportZip), unpacked: checked against its manifest, every file
     * present, unchanged and listed, before it is checked as a model; it installs as it is, one
     * folder per configuration. Empty for a source without manifest.
     */
    private static java.util.Optional<Path> exportRoot(Path unpacked, Path source) throws IOException {
        Path file = unpacked.resolve(ModelManifest.FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return java.util.Optional.empty();
        }
        ModelManifest manifest;
        try {
            manifest = ModelManifest.read(file);
        } catch (ModelRefusedException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelRefusedException("Refusing to install " + source + ": its " + ModelManifest.FILE
                    + " cannot be read (" + e.getMessage().replace(file.toString(), ModelManifest.FILE)
                    + "). Export the model again.", e);
        }
        manifest.verify(unpacked, source);
        return java.util.Optional.of(unpacked);
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
        throw new ModelRefusedException(source + " holds no plans.json, neither at its top nor in a single folder: "
                + "it is not an nnU-Net model.");
    }

    /** Copying a checked source into a staging folder; closing releases the source. */
    private interface Copy extends Closeable {
        void into(Path folder, Progress progress) throws IOException;

        @Override
        default void close() throws IOException {
        }
    }

    /**
     * A model folder's copy, after checking that it holds only files and folders: a symbolic link,
     * even one pointing inside, is refused, so nothing from outside the folder is copied.
     */
    private static Copy folderCopy(Path source) throws IOException {
        // The folder the user chose may be reached through links; what it holds may not.
        Path from = source.toRealPath();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(from)) {
            s.forEach(files::add);
        }
        for (Path p : files) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                throw new ModelRefusedException(source + " holds a symbolic link, " + from.relativize(p) + " (to "
                        + Files.readSymbolicLink(p) + "); links are refused, inside the model folder or out of it. "
                        + "Replace it by the file or folder it points to, then install again.");
            }
            if (!a.isDirectory() && !a.isRegularFile()) {
                throw new ModelRefusedException(source + " holds " + from.relativize(p)
                        + ", which is neither a file nor a folder; remove it, then install again.");
            }
        }
        return (to, progress) -> copyTree(from, files, to, progress);
    }

    private static void copyTree(Path from, List<Path> files, Path to, Progress progress) throws IOException {
        long done = 0;
        for (Path p : files) {
            progress.checkCanceled();
            Path q = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(q);
            } else {
                // Not following links, should a file have been swapped for one since the check.
                try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(in, q);
                }
            }
            progress.progress(++done, files.size());
        }
    }

    /** A zip's copy, after checking its entries as its central directory declares them. */
    private static Copy zipCopy(Path zip, Limits limits) throws IOException {
        ZipFile z;
        try {
            z = new ZipFile(zip.toFile());
        } catch (IOException e) {
            // ZipException for a damaged directory, EOFException (no message) for a file cut short.
            throw new ModelRefusedException(zip + " is not a readable zip file: " + (e.getMessage() == null ? "it ends too early"
                    : e.getMessage()) + ". Download or copy it again.", e);
        }
        try {
            List<? extends ZipEntry> entries = checkEntries(zip, z, limits);
            return new Copy() {
                @Override
                public void into(Path folder, Progress progress) throws IOException {
                    unzip(zip, z, entries, folder, progress, limits);
                }

                @Override
                public void close() throws IOException {
                    z.close();
                }
            };
        } catch (IOException | RuntimeException e) {
            z.close();
            throw e;
        }
    }

    /**
     * Refuses a zip for what its central directory says: too many entries, an entry landing outside
     * the folder or on another's file, a symbolic link, declared sizes above the limits (checked
     * again while unpacking, as a zip may understate them), or entries whose compressed data
     * overlap (they claim more bytes than the file holds: a zip bomb that inflates the same data many
     * times).
     */
    private static List<? extends ZipEntry> checkEntries(Path zip, ZipFile z, Limits limits) throws IOException {
        if (z.size() > limits.entries()) {
            throw new ModelRefusedException("Refusing to install " + zip + ": it holds " + z.size() + " entries, more than "
                    + "the limit of " + limits.entries() + " for a model. " + NOT_A_MODEL);
        }
        List<? extends ZipEntry> entries = Collections.list(z.entries());
        Path root = Path.of("").toAbsolutePath();
        Set<Path> seen = new HashSet<>();
        long zipSize = Files.size(zip);
        long declared = 0;
        long compressed = 0;
        for (ZipEntry e : entries) {
            if (!seen.add(entryTarget(zip, e, root))) {
                throw new ModelRefusedException("Refusing to install " + zip + ": it holds the entry '" + e.getName()
                        + "' twice. " + NOT_A_MODEL);
            }
            long size = Math.max(0, e.getSize());
            // The sum so far is within the limit; one entry above it must not overflow the sum.
            declared = size > limits.bytes() ? Long.MAX_VALUE : declared + size;
            checkSize(zip, e, size, declared, compressedBound(e, zipSize), limits);
            compressed += compressedBound(e, zipSize);
            if (compressed > zipSize) {
                throw new ModelRefusedException("Refusing to install " + zip + ": its entries up to '" + e.getName()
                        + "' claim more compressed bytes than the file holds (" + size(zipSize) + "), so their data "
                        + "overlap. " + NOT_A_MODEL);
            }
        }
        List<String> links = ZipLinks.of(zip);
        if (!links.isEmpty()) {
            throw new ModelRefusedException("Refusing to install " + zip + ": its entry '" + links.get(0) + "' is a symbolic "
                    + "link; links are refused. Zip the model folder without links (replace each by what it "
                    + "points to).");
        }
        return entries;
    }

    /** Where an entry lands in {@code root}; refused if outside it or not a file name. */
    private static Path entryTarget(Path zip, ZipEntry e, Path root) throws IOException {
        String entryName = e.getName().replace('\\', '/');
        Path target;
        try {
            target = root.resolve(entryName).normalize();
        } catch (InvalidPathException x) {
            throw new ModelRefusedException("Refusing to install " + zip + ": its entry '" + e.getName()
                    + "' is not a file name this system accepts.", x);
        }
        if (entryName.startsWith("/") || entryName.matches("^[A-Za-z]:.*") || !target.startsWith(root)
                || target.equals(root) && !e.isDirectory()) {
            throw new ModelRefusedException(zip + " holds the entry '" + e.getName()
                    + "', which points outside the folder it is unpacked into; refusing to install it.");
        }
        return target;
    }

    private static void unzip(Path zip, ZipFile z, List<? extends ZipEntry> entries, Path into, Progress progress,
            Limits limits) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        long total = 0;
        long done = 0;
        for (ZipEntry e : entries) {
            progress.checkCanceled();
            Path target = entryTarget(zip, e, root);
            if (e.isDirectory()) {
                Files.createDirectories(target);
            } else {
                Files.createDirectories(target.getParent());
                try (InputStream in = entryStream(zip, z, e);
                        OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
                    total = copyCounted(zip, e, in, out, total, limits);
                } catch (FileAlreadyExistsException x) {
                    // Names the file system takes for the same (Plans.json, plans.json on macOS).
                    throw new ModelRefusedException("Refusing to install " + zip + ": its entry '" + e.getName()
                            + "' lands on a file another entry wrote. " + NOT_A_MODEL, x);
                }
            }
            progress.progress(++done, entries.size());
        }
    }

    private static InputStream entryStream(Path zip, ZipFile z, ZipEntry e) throws IOException {
        try {
            return z.getInputStream(e);
        } catch (IOException x) {
            throw damagedEntry(zip, e, x);
        }
    }

    /**
     * An entry whose data cannot be read (a bad local header, corrupt deflate data, cut short): the
     * zip's reader says so in its own words, without the file.
     */
    private static IOException damagedEntry(Path zip, ZipEntry e, IOException x) {
        return new ModelRefusedException("Cannot install " + zip + ": its entry '" + e.getName() + "' is damaged ("
                + (x.getMessage() == null ? "its data end too early" : x.getMessage())
                + "). Download or copy the zip again.", x);
    }

    /**
     * Copies an entry, counting the bytes as they are inflated and refusing the entry as soon as
     * they pass a limit (the sizes in the zip's headers need not be true); the bytes unpacked so
     * far plus this entry's.
     */
    private static long copyCounted(Path zip, ZipEntry e, InputStream in, OutputStream out, long total,
            Limits limits) throws IOException {
        long compressed = compressedBound(e, Files.size(zip));
        byte[] buffer = new byte[1 << 16];
        long written = 0;
        for (int r; (r = read(zip, e, in, buffer)) > 0;) {
            written += r;
            total += r;
            checkSize(zip, e, written, total, compressed, limits);
            out.write(buffer, 0, r);
        }
        return total;
    }

    private static int read(Path zip, ZipEntry e, InputStream in, byte[] buffer) throws IOException {
        try {
            return in.read(buffer);
        } catch (IOException x) {
            throw damagedEntry(zip, e, x);
        }
    }

    /**
     * The most compressed bytes an entry can be inflated from: ZipFile reads no more than its
     * declared compressed size, and that cannot be more than the zip.
     */
    private static long compressedBound(ZipEntry e, long zipSize) {
        return e.getCompressedSize() < 0 ? zipSize : Math.min(e.getCompressedSize(), zipSize);
    }

    private static void checkSize(Path zip, ZipEntry e, long bytes, long total, long compressed, Limits limits)
            throws IOException {
        if (total > limits.bytes()) {
            throw new ModelRefusedException("Refusing to install " + zip + ": at its entry '" + e.getName() + "' it unpacks to "
                    + "more than " + size(limits.bytes()) + ", the limit for a model. " + NOT_A_MODEL);
        }
        if (bytes > limits.ratioFreeBytes() && bytes > limits.ratio() * Math.max(1, compressed)) {
            throw new ModelRefusedException("Refusing to install " + zip + ": its entry '" + e.getName() + "' expands more "
                    + "than " + limits.ratio() + " times (" + size(compressed) + " to at least " + size(bytes)
                    + "), the limit for a model's files above " + size(limits.ratioFreeBytes()) + ". " + NOT_A_MODEL);
        }
    }

    /** A size in the largest binary unit it reaches: "16 GiB", "1.5 MiB", "300 bytes". */
    static String size(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        double v = bytes;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " "
                + units[u];
    }

    /**
     * Installed models are ordinary folders that others may read (rwxr-xr-x, files rw-r--r--), as
     * util.AtomicFiles writes files, whatever the source's permissions were.
     */
    private static void readableByAll(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): its default permissions already apply.
        }
    }

    /**
     * The hidden folder an installation stages its model in, held locked (a lock the system
     * drops when the process ends, however it ends) until the installation is over; then a model it
     * set aside to replace goes back if nothing took its place, and the folder is deleted.
     */
    private static final class Staging implements Closeable {
        private final Path dir;
        private final WorkLock lock;

        private Staging(Path dir, WorkLock lock) {
            this.dir = dir;
            this.lock = lock;
        }

        static Staging create(Path models, String name) throws IOException {
            Path dir = Files.createTempDirectory(models, STAGING_PREFIX + name + "-").toRealPath();
            WorkLock lock = null;
            try {
                try {
                    lock = WorkLock.acquire(dir.resolve(LOCK), "installation of " + name, line -> { });
                } catch (WorkInUseException e) {
                    throw e;
                } catch (IOException e) {
                    // A file system without locks: others cannot lock the file either, and keep the folder.
                    Files.createFile(dir.resolve(LOCK));
                }
                Files.createDirectories(dir.resolve(UNPACKED));
                return new Staging(dir, lock);
            } catch (IOException | RuntimeException e) {
                if (lock != null) {
                    lock.close();
                }
                deleteTree(dir);
                throw e;
            }
        }

        Path dir() {
            return dir;
        }

        Path unpacked() {
            return dir.resolve(UNPACKED);
        }

        /** Never fails: what cannot be removed now, a later installation removes. */
        @Override
        public void close() {
            try {
                if (lock != null) {
                    lock.close();
                }
                recover(dir, dir.getParent());
            } catch (IOException | RuntimeException e) {
                // Left for cleanLeftovers.
            }
        }
    }

    /**
     * Removes the staging folders that installations killed before they finished left in the models
     * folder (putting back a model one had set aside to replace, if nothing took its place); best
     * effort: what cannot be removed now stays for a later try.
     */
    static void cleanLeftovers(Path models) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(models, STAGING_PREFIX + "*")) {
            for (Path dir : s) {
                try {
                    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && abandoned(dir)) {
                        recover(dir, models);
                    }
                } catch (IOException | RuntimeException e) {
                    // In use, or not ours to delete: left alone.
                }
            }
        } catch (IOException e) {
            // No models folder to clean.
        }
    }

    /**
     * Whether no running installation owns a staging folder. Its owner holds its lock file locked,
     * and the system drops that lock when the owner dies, however it dies: unlike a process id
     * (reused, and meaningless on another machine sharing the folder) or an age (a large model
     * on a slow disk takes long), a free lock is proof. A folder without lock file is one an
     * installation is creating at this instant, or one an older version left: only an old one
     * is abandoned. The probe is a {@link WorkLock}, which refuses this JVM's own installations
     * without opening their lock files.
     */
    private static boolean abandoned(Path dir) throws IOException {
        Path lockFile = dir.resolve(LOCK);
        if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            Instant modified = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant();
            return modified.isBefore(Instant.now().minus(LOCKLESS_AGE));
        }
        try (WorkLock probe = WorkLock.acquire(lockFile, "installation folder " + dir, line -> { })) {
            return true;
        } catch (WorkInUseException e) {
            return false;
        }
    }

    /** Puts back a model a staging folder holds set aside if nothing took its place, then deletes the folder. */
    private static void recover(Path dir, Path models) throws IOException {
        Path aside = dir.resolve(REPLACED);
        if (Files.isDirectory(aside, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(aside)) {
                for (Path model : s.toList()) {
                    Path target = models.resolve(model.getFileName().toString());
                    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        move(model, target);
                    }
                }
            }
        }
        deleteTree(dir);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Deletes a folder and what it holds, not following links; what vanishes meanwhile is no error. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null && !(exc instanceof NoSuchFileException)) {
                    throw exc;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

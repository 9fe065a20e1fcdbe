package io.github.nnunetfiji.inference.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.util.Progress;

/** Installing models (folders and zips) into a models folder, and listing them. */
class ModelInstallerTest {

    @TempDir
    Path tmp;

    private ModelRegistry registry() {
        return new ModelRegistry(tmp.resolve("models"));
    }

    private static void zip(Path zip, Path folder, String prefix, Map<String, String> extra) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip));
                Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                z.putNextEntry(new ZipEntry(prefix + folder.relativize(p).toString().replace('\\', '/')));
                z.write(Files.readAllBytes(p));
                z.closeEntry();
            }
            for (Map.Entry<String, String> e : extra.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    /** A model zip with one more entry of {@code bytes}. */
    private Path zipWith(String zipName, String entry, byte[] bytes) throws IOException {
        Path src = ModelFolders.create(tmp.resolve("src-" + zipName), "Spleen", "fold_0");
        Path zip = tmp.resolve(zipName);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip));
                Stream<Path> s = Files.walk(src)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                z.putNextEntry(new ZipEntry(src.relativize(p).toString().replace('\\', '/')));
                z.write(Files.readAllBytes(p));
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry(entry));
            z.write(bytes);
            z.closeEntry();
        }
        return zip;
    }

    /**
     * Rewrites the central directory header of {@code entry} (APPNOTE.TXT 4.3.12: version made by
     * at 4, uncompressed size at 24, external attributes at 38, the name at 46), as a hand-made
     * zip could have it.
     */
    private static void patchCentralDirectory(Path zip, String entry, Consumer<ByteBuffer> patch) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 46 + name.length <= bytes.length; i++) {
            if (b.getInt(i) == 0x02014b50 && Short.toUnsignedInt(b.getShort(i + 28)) == name.length
                    && Arrays.equals(bytes, i + 46, i + 46 + name.length, name, 0, name.length)) {
                patch.accept(b.slice(i, 46 + name.length).order(ByteOrder.LITTLE_ENDIAN));
                Files.write(zip, bytes);
                return;
            }
        }
        throw new AssertionError("no central directory entry " + entry + " in " + zip);
    }

    private static void symlinkOrSkip(Path link, Path target) throws IOException {
        try {
            Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | IOException e) {
            Assumptions.abort("symbolic links cannot be made here: " + e);
        }
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(tmp.resolve("models"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    @Test
    void trainedModelFolderInstallsUnderDatasetAndConfiguration() throws Exception {
        Path src = ModelFolders.create(tmp.resolve("work/Task04_Hippocampus/models/3d_fullres"), "Hippocampus",
                "fold_0", "fold_1");
        InstalledModel m = ModelInstaller.install(src, null, registry(), false, Progress.NONE);
        assertEquals("Task04_Hippocampus_3d_fullres", m.name());
        assertEquals(tmp.resolve("models/Task04_Hippocampus_3d_fullres"), m.folder());
        assertEquals(List.of("fold_0", "fold_1"), m.folds());
        assertEquals("Hippocampus", m.datasetName());
        assertEquals(List.of("Task04_Hippocampus_3d_fullres"), registry().names());
        assertTrue(Files.isRegularFile(src.resolve("plans.json")), "the source stays");
        assertEquals(List.of(), leftovers());
    }

    @Test
    void zipWithTopFolderInstallsUnderItsName() throws Exception {
        Path src = ModelFolders.create(tmp.resolve("m"), "Spleen", "fold_all");
        Path zip = tmp.resolve("spleen-model.zip");
        zip(zip, src, "3d_fullres/", Map.of("__MACOSX/._x", "junk"));
        InstalledModel m = ModelInstaller.install(zip, "", registry(), false, Progress.NONE);
        assertEquals("spleen-model", m.name());
        assertEquals(List.of("fold_all"), m.folds());
        assertTrue(registry().find("spleen-model").isPresent());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void zipEntryEscapingTheFolderIsRefusedAndNothingIsWritten() throws Exception {
        Path src = ModelFolders.create(tmp.resolve("m"), "Spleen", "fold_0");
        Path zip = tmp.resolve("evil.zip");
        zip(zip, src, "", Map.of("../../escaped.txt", "gotcha"));
        IOException e = assertThrows(IOException.class,
                () -> ModelInstaller.install(zip, "evil", registry(), false, Progress.NONE));
        assertTrue(e.getMessage().contains("'../../escaped.txt'") && e.getMessage().contains("outside"),
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("escaped.txt")));
        assertFalse(Files.exists(tmp.resolve("models/escaped.txt")));
        assertEquals(List.of(), registry().names());
        assertEquals(List.of(), leftovers());

        Path abs = tmp.resolve("abs.zip");
        zip(abs, src, "", Map.of("/tmp/abs-escaped.txt", "x"));
        assertThrows(IOException.class, () -> ModelInstaller.install(abs, "abs", registry(), false, Progress.NONE));
    }

    @Test
    void zipBombIsRefusedAndAnInstalledModelOfThatNameStays() throws Exception {
        ModelInstaller.install(ModelFolders.create(tmp.resolve("a"), "First", "fold_0"), "model", registry(), false,
                Progress.NONE);
        // 64 MiB of zeros deflate to 64 KiB: 1000 times, where model files shrink less than 10 times.
        Path bomb = zipWith("bomb.zip", "fold_0/padding.bin", new byte[64 << 20]);
        IOException e = assertThrows(IOException.class,
                () -> ModelInstaller.install(bomb, "model", registry(), true, Progress.NONE));
        assertTrue(e.getMessage().startsWith("Refusing to install " + bomb + ": its entry 'fold_0/padding.bin' "
                + "expands more than 100 times"), e.getMessage());
        assertTrue(e.getMessage().contains("the file is not such a model"), e.getMessage());
        assertEquals("First", registry().find("model").get().datasetName());
        assertEquals(List.of(), leftovers());

        // The same zip claiming its entry unpacks to 1000 bytes: the bytes are counted as they come.
        patchCentralDirectory(bomb, "fold_0/padding.bin", h -> h.putInt(24, 1000));
        IOException counted = assertThrows(IOException.class,
                () -> ModelInstaller.install(bomb, "model", registry(), true, Progress.NONE));
        assertTrue(counted.getMessage().contains("'fold_0/padding.bin' expands more than 100 times"),
                counted.getMessage());
        assertEquals("First", registry().find("model").get().datasetName());
        assertEquals(List.of(), leftovers());

        // Claiming the whole file as its compressed data, as entries sharing one deflated run do.
        int length = (int) Files.size(bomb);
        patchCentralDirectory(bomb, "fold_0/padding.bin", h -> h.putInt(20, length));
        IOException overlap = assertThrows(IOException.class,
                () -> ModelInstaller.install(bomb, "model", registry(), true, Progress.NONE));
        assertTrue(overlap.getMessage().contains("up to 'fold_0/padding.bin' claim more compressed bytes than the "
                + "file holds"), overlap.getMessage());
        assertEquals("First", registry().find("model").get().datasetName());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void zipAboveTheSizeOrEntryLimitIsRefused() throws Exception {
        // Incompressible bytes, so that the size limit and not the ratio refuses them.
        byte[] noise = new byte[2 << 20];
        new Random(1).nextBytes(noise);
        Path big = zipWith("big.zip", "fold_0/big.bin", noise);
        ModelInstaller.Limits oneMiB = new ModelInstaller.Limits(100, 1 << 20, 100, 4 << 20);
        IOException declared = assertThrows(IOException.class,
                () -> ModelInstaller.install(big, "big", registry(), false, Progress.NONE, oneMiB));
        assertTrue(declared.getMessage().startsWith("Refusing to install " + big + ": at its entry 'fold_0/big.bin' "
                + "it unpacks to more than 1 MiB, the limit for a model."), declared.getMessage());
        patchCentralDirectory(big, "fold_0/big.bin", h -> h.putInt(24, 10));
        IOException counted = assertThrows(IOException.class,
                () -> ModelInstaller.install(big, "big", registry(), false, Progress.NONE, oneMiB));
        assertEquals(declared.getMessage(), counted.getMessage());
        assertEquals(List.of(), registry().names());
        assertEquals(List.of(), leftovers());

        Path many = zipWith("many.zip", "fold_0/one-more.txt", new byte[1]);
        IOException e = assertThrows(IOException.class, () -> ModelInstaller.install(many, "many", registry(), false,
                Progress.NONE, new ModelInstaller.Limits(4, 1 << 30, 100, 4 << 20)));
        assertTrue(e.getMessage().matches("Refusing to install .*many\\.zip: it holds \\d+ entries, more than the "
                + "limit of 4 for a model\\..*"), e.getMessage());
        assertEquals(List.of(), leftovers());
        // The default limits take models of several GB with thousands of files.
        assertEquals(new ModelInstaller.Limits(10_000, 16L << 30, 100, 4 << 20), ModelInstaller.Limits.DEFAULT);
        assertEquals("many", ModelInstaller.install(many, "many", registry(), false, Progress.NONE).name());
    }

    @Test
    void damagedZipsAreRefusedNamingTheZip() throws Exception {
        // Deflate data that does not decode: the zip reader's "invalid block type" alone named nothing.
        Path corrupt = zipWith("corrupt.zip", "notes.txt", "notes ".repeat(1000).getBytes(StandardCharsets.UTF_8));
        byte[] b = Files.readAllBytes(corrupt);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = "notes.txt".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 30 + name.length <= b.length; i++) {
            if (bb.getInt(i) == 0x04034b50 && Arrays.equals(b, i + 30, i + 30 + name.length, name, 0, name.length)) {
                b[i + 30 + name.length + Short.toUnsignedInt(bb.getShort(i + 28))] = (byte) 0xFF;
            }
        }
        Files.write(corrupt, b);
        IOException e = assertThrows(IOException.class,
                () -> ModelInstaller.install(corrupt, "corrupt", registry(), false, Progress.NONE));
        assertTrue(e.getMessage().contains(corrupt.toString()) && e.getMessage().contains("'notes.txt' is damaged")
                && e.getMessage().contains("again"), e.getMessage());
        assertEquals(List.of(), leftovers());
        // An end record whose comment runs past the end: the reader's bare EOFException named nothing.
        Path cut = zipWith("cut.zip", "notes.txt", new byte[] {1});
        byte[] c = Files.readAllBytes(cut);
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putShort(c.length - 2, (short) 100);
        Files.write(cut, c);
        e = assertThrows(IOException.class, () -> ModelInstaller.install(cut, "cut", registry(), false, Progress.NONE));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("not a readable zip file"),
                e.getMessage());
    }

    @Test
    void symbolicLinksAndDuplicateEntriesInAZipAreRefused() throws Exception {
        Path link = zipWith("link.zip", "fold_0/secret", "/etc/passwd".getBytes(StandardCharsets.UTF_8));
        // As Info-ZIP stores a link: made on Unix (3), mode S_IFLNK | 0777 in the external attributes.
        patchCentralDirectory(link, "fold_0/secret", h -> h.putShort(4, (short) (3 << 8 | 20)).putInt(38,
                0120777 << 16));
        IOException e = assertThrows(IOException.class,
                () -> ModelInstaller.install(link, "link", registry(), false, Progress.NONE));
        assertTrue(e.getMessage().startsWith("Refusing to install " + link + ": its entry 'fold_0/secret' is a "
                + "symbolic link; links are refused."), e.getMessage());
        assertEquals(List.of(), registry().names());

        Path twice = zipWith("twice.zip", "plans.jsoX", "{}".getBytes(StandardCharsets.UTF_8));
        patchCentralDirectory(twice, "plans.jsoX", h -> h.put(46 + 9, (byte) 'n'));
        IOException d = assertThrows(IOException.class,
                () -> ModelInstaller.install(twice, "twice", registry(), false, Progress.NONE));
        assertTrue(d.getMessage().contains("it holds the entry 'plans.json' twice"), d.getMessage());
        assertEquals(List.of(), registry().names());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void symbolicLinksInAModelFolderAreRefusedWhereverTheyPoint() throws Exception {
        ModelInstaller.install(ModelFolders.create(tmp.resolve("a"), "First", "fold_0"), "model", registry(), false,
                Progress.NONE);
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "not part of any model");
        Path src = ModelFolders.create(tmp.resolve("m"), "Spleen", "fold_0");
        Path graph = src.resolve("fold_0/inference_model/graph.pb");
        Files.delete(graph);
        symlinkOrSkip(graph, secret);
        IOException out = assertThrows(IOException.class,
                () -> ModelInstaller.install(src, "model", registry(), true, Progress.NONE));
        assertTrue(out.getMessage().startsWith(src + " holds a symbolic link, fold_0/inference_model/graph.pb (to "
                + secret + "); links are refused"), out.getMessage());
        assertEquals("First", registry().find("model").get().datasetName());

        Files.delete(graph);
        Files.write(graph, new byte[] {1, 2, 3});
        symlinkOrSkip(src.resolve("fold_1"), Path.of("fold_0"));
        IOException in = assertThrows(IOException.class,
                () -> ModelInstaller.install(src, "model", registry(), true, Progress.NONE));
        assertTrue(in.getMessage().startsWith(src + " holds a symbolic link, fold_1 (to fold_0)"), in.getMessage());
        assertEquals("First", registry().find("model").get().datasetName());
        assertEquals(List.of(), leftovers());

        // The folder chosen may itself be reached through a link.
        Files.delete(src.resolve("fold_1"));
        Path viaLink = tmp.resolve("via-link");
        symlinkOrSkip(viaLink, src);
        assertEquals(List.of("fold_0"), ModelInstaller.install(viaLink, "linked", registry(), false, Progress.NONE)
                .folds());
    }

    @Test
    void installedModelIsReadableByAll() throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path src = ModelFolders.create(tmp.resolve("m"), "Spleen", "fold_0");
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------"
                        : "rw-------"));
            }
        }
        Path zip = tmp.resolve("m.zip");
        zip(zip, src, "", Map.of());
        for (Path source : List.of(src, zip)) {
            Path folder = ModelInstaller.install(source, "model", registry(), true, Progress.NONE).folder();
            try (Stream<Path> s = Files.walk(folder)) {
                for (Path p : s.toList()) {
                    assertEquals(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--",
                            PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), source + ": " + p);
                }
            }
        }
    }

    @Test
    void installationsKilledEarlierAreCleanedUpButRunningOnesKept() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        // Left by a version without lock files, long ago; and one being created at this instant.
        Path old = Files.createDirectories(models.resolve(".install-old-1/model"));
        Files.writeString(old.resolve("plans.json"), "{}");
        Files.setLastModifiedTime(old.getParent(), FileTime.from(Instant.now().minusSeconds(7200)));
        Path creating = Files.createDirectories(models.resolve(".install-creating-2"));
        // Killed while unpacking; killed after setting aside the model it was replacing.
        Path killed = Files.createDirectories(models.resolve(".install-killed-3/model"));
        Files.writeString(killed.resolve("dataset.json"), "{}");
        Files.createFile(killed.resolve("../lock"));
        Path aside = models.resolve(".install-replacing-4");
        Files.createDirectories(aside);
        Files.createFile(aside.resolve("lock"));
        ModelFolders.create(aside.resolve("replaced/kept"), "Kept", "fold_0");
        // Running in another process, which holds its lock.
        Path running = Files.createDirectories(models.resolve(".install-running-5/model"));
        Process holder = holdLock(Files.createFile(running.resolve("../lock")));
        try {
            ModelInstaller.install(ModelFolders.create(tmp.resolve("a"), "A", "fold_0"), "a", registry(), false,
                    Progress.NONE);
            assertEquals(List.of(".install-creating-2", ".install-running-5"), leftovers().stream().sorted().toList());
            assertEquals(List.of("a", "kept"), registry().names());
            assertEquals("Kept", registry().find("kept").get().datasetName());
            assertTrue(Files.exists(creating));
        } finally {
            holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        // Killed, its lock is gone with it.
        ModelInstaller.install(ModelFolders.create(tmp.resolve("b"), "B", "fold_0"), "b", registry(), false,
                Progress.NONE);
        assertEquals(List.of(".install-creating-2"), leftovers());
    }

    /** Another JVM holding {@code lockFile} locked, as a running installation does, until destroyed. */
    private Process holdLock(Path lockFile) throws IOException {
        Path source = Files.writeString(tmp.resolve("HoldLock.java"), """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;

                public class HoldLock {
                    public static void main(String[] args) throws Exception {
                        FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
                        c.lock();
                        System.out.println("locked");
                        System.out.flush();
                        Thread.sleep(600_000);
                    }
                }
                """);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                source.toString(), lockFile.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"locked".equals(line)) {
            p.destroyForcibly();
            throw new AssertionError("the lock holder did not start: " + line);
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            assertEquals(null, ch.tryLock(0, Long.MAX_VALUE, true), "held by the other process");
        }
        return p;
    }

    @Test
    void incompleteModelIsRefusedWithWhatIsMissing() throws Exception {
        Path src = ModelFolders.create(tmp.resolve("m"), "Spleen"); // no fold
        Files.delete(src.resolve("dataset.json"));
        IOException e = assertThrows(IOException.class,
                () -> ModelInstaller.install(src, "x", registry(), false, Progress.NONE));
        assertTrue(e.getMessage().contains("dataset.json is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("no fold_K/inference_model/"), e.getMessage());
        assertEquals(List.of(), registry().names());
        assertEquals(List.of(), leftovers());
        Path notZip = Files.writeString(tmp.resolve("model.zip"), "not a zip");
        IOException z = assertThrows(IOException.class,
                () -> ModelInstaller.install(notZip, "y", registry(), false, Progress.NONE));
        assertTrue(z.getMessage().contains("not a readable zip"), z.getMessage());
    }

    @Test
    void existingModelIsKeptUnlessReplaceIsAsked() throws Exception {
        Path a = ModelFolders.create(tmp.resolve("a"), "First", "fold_0");
        Path b = ModelFolders.create(tmp.resolve("b"), "Second", "fold_0", "fold_1");
        ModelInstaller.install(a, "model", registry(), false, Progress.NONE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelInstaller.install(b, "model", registry(), false, Progress.NONE));
        assertTrue(e.getMessage().contains("already installed"), e.getMessage());
        assertEquals("First", registry().find("model").get().datasetName());
        ModelInstaller.install(b, "model", registry(), true, Progress.NONE);
        assertEquals("Second", registry().find("model").get().datasetName());
        assertEquals(List.of(), leftovers());
        assertThrows(IllegalArgumentException.class,
                () -> ModelInstaller.install(b, "../outside", registry(), false, Progress.NONE));
    }

    @Test
    void registryListsCompleteModelsAndNamesBrokenOnes() throws Exception {
        ModelFolders.create(tmp.resolve("models/b_model"), "B", "fold_0");
        ModelFolders.create(tmp.resolve("models/a_model"), "A", "fold_2");
        ModelFolders.create(tmp.resolve("models/broken"), "C");
        Files.createDirectories(tmp.resolve("models/.install-x-123"));
        assertEquals(List.of("a_model", "b_model"), registry().names());
        assertEquals(1, registry().problems().size());
        assertTrue(registry().problems().get(0).startsWith("broken: no fold_K"), registry().problems().toString());
        assertTrue(registry().find("broken").isEmpty());
        assertEquals(List.of(), new ModelRegistry(tmp.resolve("none")).names());
    }

    @Test
    void modelsFolderPropertyThenEnvironmentThenFijiThenHome() throws IOException {
        Properties p = new Properties();
        p.setProperty("user.home", "/home/u");
        assertEquals(Path.of("/home/u/.nnunet/models"), ModelRegistry.modelsFolder(p, Map.of()));
        Path fiji = Files.createDirectories(tmp.resolve("Fiji.app"));
        p.setProperty("imagej.dir", fiji.toString());
        assertEquals(fiji.resolve("models/nnunet"), ModelRegistry.modelsFolder(p, Map.of()));
        assertEquals(Path.of("/env/m"), ModelRegistry.modelsFolder(p, Map.of(ModelRegistry.MODELS_DIR_ENV, "/env/m")));
        p.setProperty(ModelRegistry.MODELS_DIR_PROPERTY, "/prop/m");
        assertEquals(Path.of("/prop/m"), ModelRegistry.modelsFolder(p, Map.of(ModelRegistry.MODELS_DIR_ENV, "/env/m")));
    }
}

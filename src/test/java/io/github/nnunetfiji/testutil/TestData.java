package io.github.nnunetfiji.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Where the test data sets are, and copies of them that tests may break. */
public final class TestData {

    private TestData() {
    }

    /** The project's bundled data sets ({@code test-data/}). */
    public static Path bundled(String name) {
        Path p = Paths.get("test-data", name).toAbsolutePath();
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("Bundled test data missing: " + p);
        }
        return p;
    }

    public static Path isbiMini() {
        return bundled("Task100_ISBI2012EM_mini");
    }

    public static Path bratsMini() {
        return bundled("Task01_BrainTumour_mini");
    }

    /** The folder of the shared real data sets (system property {@code nnunet.shared.data}). */
    public static Path sharedRoot() {
        return Paths.get(System.getProperty("nnunet.shared.data", "../shared/data")).toAbsolutePath().normalize();
    }

    /**
     * A shared real data set or file under {@link #sharedRoot()}; skips the test when absent, or
     * fails it under {@code CI=true} ({@link Prerequisites}).
     */
    public static Path shared(String name) {
        Path p = sharedRoot().resolve(name);
        Prerequisites.require(Files.exists(p), "shared data not present: " + p + " (set -Dnnunet.shared.data)");
        return p;
    }

    /** Copies a folder tree (e.g. a data set) into {@code target}, writable. */
    public static Path copy(Path source, Path target) throws IOException {
        try (Stream<Path> s = Files.walk(source)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path q = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                    q.toFile().setWritable(true);
                }
            }
        }
        return target;
    }

    /** True if a folder is missing or holds no file at any depth. */
    public static boolean isEmptyTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.noneMatch(Files::isRegularFile);
        }
    }

    /**
     * Rewrites every training label map of a (copied) data set through {@code f}, keeping its
     * geometry: e.g. {@code v -> 0} for a data set without foreground.
     */
    public static void relabel(io.github.nnunetfiji.dataset.Dataset ds, java.util.function.IntUnaryOperator f)
            throws IOException {
        for (io.github.nnunetfiji.dataset.CaseEntry c : ds.cases()) {
            io.github.nnunetfiji.image.Image img = io.github.nnunetfiji.io.ImageIO.read(c.labelFile());
            long[] shape = img.shape();
            net.imglib2.img.array.ArrayImg<net.imglib2.type.numeric.integer.UnsignedByteType, ?> out =
                    net.imglib2.img.array.ArrayImgs.unsignedBytes(shape);
            net.imglib2.Cursor<? extends net.imglib2.type.numeric.RealType<?>> in =
                    net.imglib2.view.Views.flatIterable(img.channel(0)).cursor();
            for (net.imglib2.type.numeric.integer.UnsignedByteType t : out) {
                t.set(f.applyAsInt((int) in.next().getRealDouble()));
            }
            io.github.nnunetfiji.io.ImageIO.write(io.github.nnunetfiji.image.Image.of(out, img.geometry()), c.labelFile());
        }
    }
}

package io.github.nnunetfiji.bioimageio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.github.nnunetfiji.engine.ChannelsFirstModel;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.SavedModelExport;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.PngFiles;

/**
 * Writes one configuration and fold of a trained model as a bioimage.io model package: a zip with
 * {@code rdf.yaml}, the TensorFlow SavedModel zipped as {@code tf_saved_model.zip}, the test input
 * (the plan's patch from the test image's centre, raw) and the test output (the exported SavedModel
 * itself run on it after the description's preprocessing), a cover and {@code README.md}. Built in
 * a scratch folder, then zipped into a temporary file beside the target and renamed over it.
 */
public final class BioimageioPackage {

    /** What was written. */
    public record Written(Path file, String name, long[] tileShape, String normalization, long bytes) {
    }

    private BioimageioPackage() {
    }

    /**
     * @param inferenceModel the fold's {@code inference_model/} folder
     * @param testImage      the image the test tensors are cut from, channels as in training
     */
    public static Written write(Engine engine, Path inferenceModel, Plans plans, String configuration, String fold,
            Image testImage, List<String> authors, String license, String timestamp, String version, Path output)
            throws IOException {
        InputPreprocessing preprocessing = InputPreprocessing.of(plans, plans.configuration(configuration));
        TestTile tile = TestTile.cut(testImage, plans.configuration(configuration));
        Path scratch = Files.createTempDirectory("nnunet-bioimageio-");
        try {
            SavedModelExport export = engine.exportSavedModel(inferenceModel, scratch.resolve("saved_model"));
            float[] input = preprocessing.apply(tile);
            float[] probabilities;
            try (ChannelsFirstModel model = engine.loadSavedModel(scratch.resolve("saved_model"))) {
                probabilities = model.predict(tile.shape(), input);
            }
            ModelDescription description = new ModelDescription(plans, configuration, fold, tile, preprocessing,
                    export);
            int classes = description.classNames().size();
            long[] outShape = tile.shape().clone();
            outShape[1] = classes;
            Path dir = Files.createDirectories(scratch.resolve("package"));
            zipFolder(scratch.resolve("saved_model"), dir.resolve(ModelDescription.WEIGHTS));
            NpyFile.write(dir.resolve(ModelDescription.TEST_INPUT), tile.shape(), tile.values());
            NpyFile.write(dir.resolve(ModelDescription.TEST_OUTPUT), outShape, probabilities);
            PngFiles.write(dir.resolve(ModelDescription.COVER),
                    CoverImage.draw(tile.shape(), tile.values(), probabilities, classes));
            ModelDescription.Terms terms = new ModelDescription.Terms(authors, license, timestamp, version);
            Files.writeString(dir.resolve(ModelDescription.DOCUMENTATION), description.documentation(terms));
            Map<String, String> sha256 = new TreeMap<>();
            for (String f : List.of(ModelDescription.WEIGHTS, ModelDescription.TEST_INPUT,
                    ModelDescription.TEST_OUTPUT)) {
                sha256.put(f, sha256(dir.resolve(f)));
            }
            Files.writeString(dir.resolve(ModelDescription.RDF), YamlText.of(description.rdf(terms, sha256)),
                    StandardCharsets.UTF_8);
            AtomicFiles.write(output, out -> zip(dir, out));
            return new Written(output, description.name(), tile.shape(), preprocessing.scheme(), Files.size(output));
        } finally {
            try {
                deleteTree(scratch);
            } catch (IOException e) {
                // A scratch folder left behind must not hide the export's own outcome, written or failed.
            }
        }
    }

    /** A folder's files as a zip, paths relative to it, in name order. */
    private static void zipFolder(Path folder, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip)) {
            zip(folder, out);
        }
    }

    private static void zip(Path folder, OutputStream out) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(folder)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        ZipOutputStream z = new ZipOutputStream(out);
        for (Path f : files) {
            ZipEntry e = new ZipEntry(folder.relativize(f).toString().replace('\\', '/'));
            e.setTime(0); // the same model gives the same entries
            z.putNextEntry(e);
            Files.copy(f, z);
            z.closeEntry();
        }
        z.finish();
    }

    static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package io.github.nnunetfiji.inference.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.ProjectVersion;

/**
 * Writes an exported model: a zip holding the files in the order of their paths, then
 * {@link ModelManifest#FILE}, so the same model gives the same entries in the same order. Written
 * atomically: a zip that exists is complete.
 */
public final class ModelExportZip {

    private ModelExportZip() {
    }

    /**
     * Writes the zip.
     *
     * @param zip            the file to write (replaced if it exists)
     * @param files          path in the zip ('/'-separated, relative) to the file whose bytes it holds
     * @param dataset        the data set's name, for the manifest
     * @param configurations the configurations exported
     * @param folds          per configuration, its folds
     * @return the manifest written into the zip
     */
    public static ModelManifest write(Path zip, SortedMap<String, Path> files, String dataset,
            List<String> configurations, Map<String, List<String>> folds) throws IOException {
        Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        FileTime time = FileTime.from(created);
        List<ModelManifest.FileEntry> entries = new ArrayList<>();
        ModelManifest[] manifest = new ModelManifest[1];
        AtomicFiles.write(zip, out -> {
            try (ZipOutputStream z = new ZipOutputStream(out)) {
                for (Map.Entry<String, Path> f : files.entrySet()) {
                    put(z, f.getKey(), time);
                    // Checksummed as written, so the manifest describes exactly the bytes in the zip.
                    MessageDigest digest = ModelManifest.newDigest();
                    long size;
                    try (InputStream in = new DigestInputStream(
                            Files.newInputStream(f.getValue(), LinkOption.NOFOLLOW_LINKS), digest)) {
                        size = in.transferTo(z);
                    }
                    z.closeEntry();
                    entries.add(new ModelManifest.FileEntry(f.getKey(), size, HexFormat.of().formatHex(digest.digest())));
                }
                manifest[0] = new ModelManifest(ModelManifest.FORMAT, ModelManifest.VERSION, ProjectVersion.get(),
                        created.toString(), dataset, configurations, folds, entries);
                put(z, ModelManifest.FILE, time);
                z.write((Json.toJson(manifest[0]) + "\n").getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        });
        return manifest[0];
    }

    private static void put(ZipOutputStream z, String name, FileTime time) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setLastModifiedTime(time);
        z.putNextEntry(e);
    }
}

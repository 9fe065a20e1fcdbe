package io.github.nnunetfiji.postprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.io.CaseFiles;
import io.github.nnunetfiji.io.ImageFileException;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.img.array.ArrayImgs;

/** Applies a {@link PostprocessingRule} to label images in memory and to folders of label files. */
public final class Postprocessor {

    /** What happened to one file of a folder. */
    public record FileResult(String id, Path output, long removedVoxels, String error) {
    }

    private Postprocessor() {
    }

    /**
     * A copy of {@code labels} with the rule applied (same geometry; unsigned 8-bit pixels where
     * every value fits, else 16- or 32-bit).
     *
     * @param foreground the foreground classes, for the all-foreground step
     */
    public static LabelImage apply(LabelImage labels, PostprocessingRule rule, int[] foreground) {
        long[] shape = labels.shape();
        int[] v = FlatArrays.toInts(labels.labels());
        rule.apply(v, shape, foreground);
        int max = 0;
        for (int x : v) {
            max = Math.max(max, x);
        }
        if (max < 256) {
            byte[] b = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = (byte) v[i];
            }
            return new LabelImage(ArrayImgs.unsignedBytes(b, shape), labels.geometry());
        }
        if (max < 65536) {
            short[] s = new short[v.length];
            for (int i = 0; i < v.length; i++) {
                s[i] = (short) v[i];
            }
            return new LabelImage(ArrayImgs.unsignedShorts(s, shape), labels.geometry());
        }
        return new LabelImage(ArrayImgs.ints(v, shape), labels.geometry());
    }

    /**
     * Postprocesses every label file of {@code input} into {@code output} (same file names; each
     * written atomically). A file that fails is reported and the others still finish.
     */
    public static List<FileResult> applyToFolder(Path input, Path output, PostprocessingRule rule, int[] foreground,
            Progress progress) throws IOException {
        Map<String, Path> files = CaseFiles.list(input);
        if (files.isEmpty()) {
            throw new IOException("No label files (" + String.join(", ", ImageIO.FILE_ENDINGS) + ") in " + input);
        }
        Files.createDirectories(output);
        List<FileResult> results = new ArrayList<>();
        long done = 0;
        for (Map.Entry<String, Path> e : files.entrySet()) {
            progress.checkCanceled();
            progress.status("Postprocessing " + e.getKey());
            Path out = output.resolve(e.getValue().getFileName());
            try {
                LabelImage in;
                try {
                    in = LabelImage.fromImage(ImageIO.read(e.getValue()));
                } catch (IllegalArgumentException bad) {
                    throw new ImageFileException(e.getValue(), "is not a label map: " + bad.getMessage());
                }
                LabelImage pp = apply(in, rule, foreground);
                long removed = countDifferences(in, pp);
                ImageIO.write(pp.asImage(), out);
                results.add(new FileResult(e.getKey(), out, removed, null));
            } catch (IOException | RuntimeException ex) {
                if (ex instanceof io.github.nnunetfiji.util.CanceledException c) {
                    throw c;
                }
                results.add(new FileResult(e.getKey(), out, 0, ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            }
            progress.progress(++done, files.size());
        }
        return results;
    }

    private static long countDifferences(LabelImage a, LabelImage b) {
        int[] x = FlatArrays.toInts(a.labels());
        int[] y = FlatArrays.toInts(b.labels());
        long n = 0;
        for (int i = 0; i < x.length; i++) {
            n += x[i] != y[i] ? 1 : 0;
        }
        return n;
    }
}

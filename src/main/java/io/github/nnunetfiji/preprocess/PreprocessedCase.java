package io.github.nnunetfiji.preprocess;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.VersionedJson;

/**
 * One preprocessed case on disk, laid out for the training loader: random patch reads straight
 * from memory-mapped files, without decoding the whole case.
 *
 * <ul>
 *   <li>{@code CASE.json}: the {@link CaseHeader}, written last: its presence marks the case done.</li>
 *   <li>{@code CASE.img}: float32 little-endian, channel after channel, each {@code x} fastest,
 *       then {@code y}, then {@code z} ({@link io.github.nnunetfiji.image.AxisOrder}).</li>
 *   <li>{@code CASE.seg}: the label map, one signed byte per voxel in the same order: the class
 *       (0 background), or {@link #OUTSIDE} (-1) for background outside the nonzero mask when the
 *       plan normalizes some channel inside that mask ({@link CaseHeader#outsideMarked()}).</li>
 * </ul>
 */
public final class PreprocessedCase implements AutoCloseable {

    private final CaseHeader header;
    private final FileChannel imgChannel;
    private final FloatBuffer img;
    private final FileChannel segChannel;
    private final ByteBuffer seg;

    private PreprocessedCase(CaseHeader header, FileChannel imgChannel, FloatBuffer img, FileChannel segChannel,
            ByteBuffer seg) {
        this.header = header;
        this.imgChannel = imgChannel;
        this.img = img;
        this.segChannel = segChannel;
        this.seg = seg;
    }

    public static Path headerFile(Path dir, String id) {
        return dir.resolve(id + ".json");
    }

    public static Path imageFile(Path dir, String id) {
        return dir.resolve(id + ".img");
    }

    public static Path labelFile(Path dir, String id) {
        return dir.resolve(id + ".seg");
    }

    /**
     * Label of background voxels outside the nonzero mask, stored where the plan normalizes some
     * channel inside the mask (as the reference does): training counts it as background (0) for
     * the loss, and sets those channels to 0 wherever it lies after spatial augmentation, so the
     * outside stays exactly what normalization made it. Resampled like a class (one-hot linear
     * in ascending label order, -1 first, or nearest neighbour).
     */
    public static final byte OUTSIDE = -1;

    /** Largest label value the byte format holds. */
    public static final int MAX_LABEL = LabelImage.MAX_PIPELINE_LABEL;

    /**
     * Writes a case atomically: voxel files first, the header last.
     *
     * @param image  one array of {@code voxels} values per channel
     * @param labels label values per voxel ({@link #OUTSIDE} or 0..{@link #MAX_LABEL}), or null for a test case
     */
    public static void write(Path dir, CaseHeader header, float[][] image, byte[] labels) throws IOException {
        long voxels = header.voxels();
        if (image.length != header.channels) {
            throw new IllegalArgumentException("Image data has " + image.length + " channels, header says " + header.channels);
        }
        for (float[] ch : image) {
            if (ch.length != voxels) {
                throw new IllegalArgumentException("A channel holds " + ch.length + " values, the header's shape needs " + voxels);
            }
        }
        if ((labels != null) != header.hasLabels || (labels != null && labels.length != voxels)) {
            throw new IllegalArgumentException("Label data does not match the header of case " + header.id);
        }
        Files.createDirectories(dir);
        AtomicFiles.write(imageFile(dir, header.id), out -> {
            for (float[] ch : image) {
                writeFloats(out, ch);
            }
        });
        if (labels != null) {
            AtomicFiles.write(labelFile(dir, header.id), out -> out.write(labels));
        }
        Json.write(headerFile(dir, header.id), header);
    }

    private static void writeFloats(OutputStream out, float[] data) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer fb = bb.asFloatBuffer();
        int pos = 0;
        while (pos < data.length) {
            int n = Math.min(fb.capacity(), data.length - pos);
            fb.clear();
            fb.put(data, pos, n);
            out.write(bb.array(), 0, n * 4);
            pos += n;
        }
    }

    /** True if the case was written completely (header present and voxel files of the right size). */
    public static boolean isComplete(Path dir, String id) {
        try {
            if (!Files.isRegularFile(headerFile(dir, id))) {
                return false;
            }
            CaseHeader h = readHeader(dir, id);
            if (Files.size(imageFile(dir, id)) != h.voxels() * h.channels * 4L) {
                return false;
            }
            return !h.hasLabels || Files.size(labelFile(dir, id)) == h.voxels();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static CaseHeader readHeader(Path dir, String id) throws IOException {
        return VersionedJson.read(headerFile(dir, id), CaseHeader.class, CaseHeader.LAYOUT);
    }

    /** Opens a case for reading; the voxel files are memory-mapped, not read. */
    public static PreprocessedCase open(Path dir, String id) throws IOException {
        CaseHeader h = readHeader(dir, id);
        FileChannel ic = FileChannel.open(imageFile(dir, id), StandardOpenOption.READ);
        long imgBytes = h.voxels() * h.channels * 4L;
        long actual = ic.size();
        if (actual != imgBytes) {
            ic.close();
            throw new IOException(imageFile(dir, id) + " holds " + actual + " bytes, expected " + imgBytes
                    + "; the case is incomplete: preprocess again");
        }
        if (imgBytes > Integer.MAX_VALUE) {
            ic.close();
            throw new IOException(imageFile(dir, id) + " is larger than 2 GB, which one mapping cannot hold");
        }
        MappedByteBuffer im = ic.map(FileChannel.MapMode.READ_ONLY, 0, imgBytes);
        FileChannel sc = null;
        ByteBuffer sb = null;
        if (h.hasLabels) {
            sc = FileChannel.open(labelFile(dir, id), StandardOpenOption.READ);
            if (sc.size() != h.voxels()) {
                sc.close();
                ic.close();
                throw new IOException(labelFile(dir, id) + " has the wrong size; preprocess again");
            }
            sb = sc.map(FileChannel.MapMode.READ_ONLY, 0, h.voxels());
        }
        return new PreprocessedCase(h, ic, im.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer(), sc, sb);
    }

    public CaseHeader header() {
        return header;
    }

    /**
     * Reads a patch of all channels; voxels outside the volume read as 0.
     *
     * @param start first voxel per axis (may be negative)
     * @param size  patch size per axis
     * @param out   {@code channels * size[0] * size[1] * size[2]} values, channel-major, x fastest
     */
    public void readImagePatch(int[] start, int[] size, float[] out) {
        int[] s = header.shape;
        long voxels = header.voxels();
        int patchVoxels = size[0] * size[1] * size[2];
        Arrays.fill(out, 0, patchVoxels * header.channels, 0f);
        int x0 = Math.max(0, start[0]);
        int x1 = Math.min(s[0], start[0] + size[0]);
        if (x1 <= x0) {
            return;
        }
        for (int c = 0; c < header.channels; c++) {
            for (int z = Math.max(0, start[2]); z < Math.min(s[2], start[2] + size[2]); z++) {
                for (int y = Math.max(0, start[1]); y < Math.min(s[1], start[1] + size[1]); y++) {
                    long src = c * voxels + x0 + (long) s[0] * (y + (long) s[1] * z);
                    int dst = c * patchVoxels + (x0 - start[0]) + size[0] * ((y - start[1]) + size[1] * (z - start[2]));
                    img.get((int) src, out, dst, x1 - x0);
                }
            }
        }
    }

    /** Reads a patch of the label map; voxels outside the volume read as 0 (background). */
    public void readLabelPatch(int[] start, int[] size, byte[] out) {
        if (seg == null) {
            throw new IllegalStateException("Case " + header.id + " has no labels");
        }
        int[] s = header.shape;
        Arrays.fill(out, 0, size[0] * size[1] * size[2], (byte) 0);
        int x0 = Math.max(0, start[0]);
        int x1 = Math.min(s[0], start[0] + size[0]);
        if (x1 <= x0) {
            return;
        }
        for (int z = Math.max(0, start[2]); z < Math.min(s[2], start[2] + size[2]); z++) {
            for (int y = Math.max(0, start[1]); y < Math.min(s[1], start[1] + size[1]); y++) {
                long src = x0 + (long) s[0] * (y + (long) s[1] * z);
                int dst = (x0 - start[0]) + size[0] * ((y - start[1]) + size[1] * (z - start[2]));
                seg.get((int) src, out, dst, x1 - x0);
            }
        }
    }

    @Override
    public void close() throws IOException {
        imgChannel.close();
        if (segChannel != null) {
            segChannel.close();
        }
    }
}

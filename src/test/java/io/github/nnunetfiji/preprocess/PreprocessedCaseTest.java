package io.github.nnunetfiji.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessedCaseTest {

    @TempDir
    Path dir;

    private static CaseHeader header(int[] shape, int channels) {
        CaseHeader h = new CaseHeader();
        h.id = "case_7";
        h.shape = shape;
        h.channels = channels;
        h.spacing = new double[] {1, 1, 2};
        h.hasLabels = true;
        h.originalShape = new long[] {20, 20, 20};
        h.originalSpacing = new double[] {1, 1, 2};
        h.originalAffine = new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 2, 0}, {0, 0, 0, 1}};
        h.cropMin = new long[] {1, 2, 3};
        h.cropMaxExclusive = new long[] {14, 13, 10};
        h.classLocations.put(1, new int[] {5, 17, 99});
        return h;
    }

    @Test
    void randomPatchesMatchTheVolumeAndPadWithZeros() throws IOException {
        int[] s = {13, 11, 7};
        int c = 2;
        int n = s[0] * s[1] * s[2];
        float[] img = new float[n * c];
        byte[] seg = new byte[n];
        for (int i = 0; i < img.length; i++) {
            img[i] = i + 0.5f;
        }
        for (int i = 0; i < n; i++) {
            seg[i] = (byte) (i % 5);
        }
        float[][] channels = new float[c][];
        for (int ch = 0; ch < c; ch++) {
            channels[ch] = java.util.Arrays.copyOfRange(img, ch * n, (ch + 1) * n);
        }
        PreprocessedCase.write(dir, header(s, c), channels, seg);
        assertTrue(PreprocessedCase.isComplete(dir, "case_7"));
        Random r = new Random(3);
        try (PreprocessedCase pc = PreprocessedCase.open(dir, "case_7")) {
            assertArrayEquals(new int[] {5, 17, 99}, pc.header().classLocations(1));
            for (int trial = 0; trial < 200; trial++) {
                int[] size = {1 + r.nextInt(9), 1 + r.nextInt(9), 1 + r.nextInt(5)};
                int[] start = {r.nextInt(20) - 5, r.nextInt(18) - 5, r.nextInt(12) - 4};
                float[] p = new float[c * size[0] * size[1] * size[2]];
                byte[] l = new byte[size[0] * size[1] * size[2]];
                pc.readImagePatch(start, size, p);
                pc.readLabelPatch(start, size, l);
                for (int ch = 0; ch < c; ch++) {
                    for (int z = 0; z < size[2]; z++) {
                        for (int y = 0; y < size[1]; y++) {
                            for (int x = 0; x < size[0]; x++) {
                                int gx = start[0] + x;
                                int gy = start[1] + y;
                                int gz = start[2] + z;
                                boolean inside = gx >= 0 && gy >= 0 && gz >= 0 && gx < s[0] && gy < s[1] && gz < s[2];
                                int pi = x + size[0] * (y + size[1] * z);
                                int gi = gx + s[0] * (gy + s[1] * gz);
                                assertEquals(inside ? img[ch * n + gi] : 0f, p[ch * size[0] * size[1] * size[2] + pi]);
                                if (ch == 0) {
                                    assertEquals(inside ? seg[gi] : 0, l[pi]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void truncatedCaseIsIncompleteAndRefusedWithAClearMessage() throws IOException {
        int[] s = {4, 4, 4};
        PreprocessedCase.write(dir, header(s, 1), new float[][] {new float[64]}, new byte[64]);
        Path img = PreprocessedCase.imageFile(dir, "case_7");
        Files.write(img, new byte[100]);
        assertFalse(PreprocessedCase.isComplete(dir, "case_7"));
        IOException e = assertThrows(IOException.class, () -> PreprocessedCase.open(dir, "case_7"));
        assertTrue(e.getMessage().contains("case_7.img") && e.getMessage().contains("preprocess again"), e.getMessage());
    }
}

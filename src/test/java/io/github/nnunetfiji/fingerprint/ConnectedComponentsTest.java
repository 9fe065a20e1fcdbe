package io.github.nnunetfiji.fingerprint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class ConnectedComponentsTest {

    private static int index(int x, int y, int z, int nx, int ny) {
        return x + nx * (y + ny * z);
    }

    @Test
    void faceNeighboursOnlyAndClassesKeptApart() {
        int nx = 5;
        int ny = 4;
        int nz = 3;
        int[] labels = new int[nx * ny * nz];
        // Class 1: a 2x2 block in slice 0, and a voxel touching its corner (1,1,0) only along an edge.
        for (int x = 0; x < 2; x++) {
            for (int y = 0; y < 2; y++) {
                labels[index(x, y, 0, nx, ny)] = 1;
            }
        }
        labels[index(2, 2, 0, nx, ny)] = 1;
        // Class 2: a line along z, and a voxel sharing a face with the class-1 block.
        for (int z = 0; z < 3; z++) {
            labels[index(4, 3, z, nx, ny)] = 2;
        }
        labels[index(2, 0, 0, nx, ny)] = 2;
        List<ClassComponents> cc = ConnectedComponents.of(labels, new long[] {nx, ny, nz});
        assertEquals(2, cc.size());
        assertEquals(1, cc.get(0).label());
        assertArrayEquals(new long[] {4, 1}, cc.get(0).sizes());
        assertEquals(2, cc.get(1).label());
        assertArrayEquals(new long[] {3, 1}, cc.get(1).sizes());
        assertEquals(2, cc.get(1).count());
        assertEquals(4, cc.get(1).totalVoxels());
    }

    @Test
    void agreesWithLabelPropagationOnRandomVolumes() {
        Random r = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int nx = 3 + r.nextInt(10);
            int ny = 3 + r.nextInt(10);
            int nz = 1 + r.nextInt(6);
            int[] labels = new int[nx * ny * nz];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = r.nextDouble() < 0.45 ? 1 + r.nextInt(3) : 0;
            }
            List<ClassComponents> cc = ConnectedComponents.of(labels, new long[] {nx, ny, nz});
            TreeMap<Integer, long[]> expected = propagate(labels, nx, ny, nz);
            assertEquals(expected.size(), cc.size());
            for (ClassComponents c : cc) {
                assertArrayEquals(expected.get(c.label()), c.sizes(), "label " + c.label() + " trial " + trial);
            }
        }
    }

    /** Independent reference: every voxel takes the smallest id among same-label face neighbours until stable. */
    private static TreeMap<Integer, long[]> propagate(int[] labels, int nx, int ny, int nz) {
        int[] id = new int[labels.length];
        for (int i = 0; i < id.length; i++) {
            id[i] = i;
        }
        boolean changed = true;
        int[][] steps = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        while (changed) {
            changed = false;
            for (int z = 0; z < nz; z++) {
                for (int y = 0; y < ny; y++) {
                    for (int x = 0; x < nx; x++) {
                        int i = index(x, y, z, nx, ny);
                        if (labels[i] == 0) {
                            continue;
                        }
                        for (int[] s : steps) {
                            int a = x + s[0];
                            int b = y + s[1];
                            int c = z + s[2];
                            if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) {
                                continue;
                            }
                            int j = index(a, b, c, nx, ny);
                            if (labels[j] == labels[i] && id[j] < id[i]) {
                                id[i] = id[j];
                                changed = true;
                            }
                        }
                    }
                }
            }
        }
        TreeMap<Integer, TreeMap<Integer, Long>> sizes = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] > 0) {
                sizes.computeIfAbsent(labels[i], k -> new TreeMap<>()).merge(id[i], 1L, Long::sum);
            }
        }
        TreeMap<Integer, long[]> out = new TreeMap<>();
        sizes.forEach((label, m) -> {
            List<Long> l = new ArrayList<>(m.values());
            l.sort((p, q) -> Long.compare(q, p));
            out.put(label, l.stream().mapToLong(Long::longValue).toArray());
        });
        return out;
    }

    @Test
    void shapeMustMatch() {
        assertThrows(IllegalArgumentException.class, () -> ConnectedComponents.of(new int[10], new long[] {3, 3, 1}));
    }

    @Test
    void emptyLabelMapHasNoComponents() {
        int[] labels = new int[27];
        Arrays.fill(labels, 0);
        assertEquals(0, ConnectedComponents.of(labels, new long[] {3, 3, 3}).size());
    }
}

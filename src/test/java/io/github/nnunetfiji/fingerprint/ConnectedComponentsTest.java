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
            for (int connectivity : new int[] {6, 18, 26}) {
                List<ClassComponents> cc = ConnectedComponents.of(labels, new long[] {nx, ny, nz}, connectivity);
                TreeMap<Integer, long[]> expected = propagate(labels, nx, ny, nz, connectivity);
                assertEquals(expected.size(), cc.size());
                for (ClassComponents c : cc) {
                    assertArrayEquals(expected.get(c.label()), c.sizes(), "label " + c.label() + " trial " + trial
                            + " connectivity " + connectivity);
                }
            }
        }
    }

    @Test
    void fullConnectivityJoinsCornersAndFillVisitsOneComponent() {
        int[] labels = new int[27];
        labels[index(0, 0, 0, 3, 3)] = 1;
        labels[index(1, 1, 1, 3, 3)] = 1; // corner contact only
        labels[index(2, 2, 2, 3, 3)] = 1;
        labels[index(2, 0, 0, 3, 3)] = 1; // corner contact with (1,1,1)
        long[] shape = {3, 3, 3};
        assertEquals(4, ConnectedComponents.of(labels, shape, 6).get(0).count());
        assertEquals(1, ConnectedComponents.of(labels, shape, 26).get(0).count());
        List<ConnectedComponents.Component> comps = ConnectedComponents.components(i -> labels[i], shape, 18);
        assertEquals(4, comps.size()); // no two share an edge
        assertEquals(index(0, 0, 0, 3, 3), comps.get(0).seed());
        boolean[] visited = new boolean[27];
        List<Integer> seen = new ArrayList<>();
        assertEquals(4, ConnectedComponents.fill(i -> labels[i], shape, 26, index(2, 2, 2, 3, 3), visited, seen::add));
        assertEquals(4, seen.size());
        assertThrows(IllegalArgumentException.class, () -> ConnectedComponents.of(labels, shape, 8));
    }

    /** Independent reference: every voxel takes the smallest id among same-label neighbours until stable. */
    private static TreeMap<Integer, long[]> propagate(int[] labels, int nx, int ny, int nz, int connectivity) {
        int[] id = new int[labels.length];
        for (int i = 0; i < id.length; i++) {
            id[i] = i;
        }
        boolean changed = true;
        List<int[]> steps = new ArrayList<>();
        for (int dz = -1; dz <= 1; dz++) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int d2 = dx * dx + dy * dy + dz * dz; // 1 face, 2 edge, 3 corner
                    if (d2 > 0 && (connectivity == 26 || (connectivity == 18 && d2 <= 2) || d2 == 1)) {
                        steps.add(new int[] {dx, dy, dz});
                    }
                }
            }
        }
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

package io.github.nnunetfiji.fingerprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * Connected components of every foreground class of a label map: the one implementation used by
 * the fingerprint (component counts per class) and by postprocessing (keeping the largest
 * component).
 *
 * <p>Connectivity is 6 (voxels sharing a face; 4 in a 2D image), 18 (also an edge) or 26 (also a
 * corner: full connectivity, as scipy's and skimage's {@code label} with full connectivity). The
 * fingerprint uses 6, the stricter choice: a class that forms one component here also forms one
 * with 26 neighbours, so the rule "this class is always a single component" is never taken from
 * components that only touch at an edge or a corner; postprocessing then keeps the largest
 * component with full connectivity, as the reference does, which never splits what the rule saw as
 * one piece.
 */
public final class ConnectedComponents {

    /** The fingerprint's connectivity: voxels sharing a face are connected. */
    public static final int CONNECTIVITY = 6;
    /** Full connectivity: voxels sharing a face, an edge or a corner are connected. */
    public static final int FULL_CONNECTIVITY = 26;

    /** The label of voxel {@code i}; values below 1 are background. */
    @FunctionalInterface
    public interface Labels {
        int at(int i);
    }

    /** One component: its label, its voxel count and its first voxel in memory order. */
    public record Component(int label, long size, int seed) {
    }

    private ConnectedComponents() {
    }

    /**
     * Finds the face-connected components of every label value above 0 (the fingerprint's rule).
     *
     * @param labels label values, x fastest then y then z ({@link AxisOrder}); values below 1 are background
     * @param shape  voxels per axis; their product is {@code labels.length}
     * @return the components of every foreground label present, by ascending label
     * @throws IllegalArgumentException if the shape does not match the array length
     */
    public static List<ClassComponents> of(int[] labels, long[] shape) {
        return of(labels, shape, CONNECTIVITY);
    }

    /** As {@link #of(int[], long[])} with connectivity 6, 18 or 26. */
    public static List<ClassComponents> of(int[] labels, long[] shape, int connectivity) {
        checkShape(labels.length, shape);
        TreeMap<Integer, LongList> sizes = new TreeMap<>();
        for (Component c : components(i -> labels[i], shape, connectivity)) {
            sizes.computeIfAbsent(c.label(), k -> new LongList()).add(c.size());
        }
        List<ClassComponents> out = new ArrayList<>(sizes.size());
        sizes.forEach((label, list) -> out.add(new ClassComponents(label, list.toArray())));
        return out;
    }

    /**
     * Every component of every label above 0, in the order of their first voxels.
     *
     * @param labels the label of each voxel of {@code shape} (x fastest)
     */
    public static List<Component> components(Labels labels, long[] shape, int connectivity) {
        int n = checkShape(-1, shape);
        int[][] offsets = offsets(connectivity);
        boolean[] seen = new boolean[n];
        IntStack stack = new IntStack();
        List<Component> out = new ArrayList<>();
        for (int start = 0; start < n; start++) {
            if (seen[start]) {
                continue;
            }
            int label = labels.at(start);
            if (label <= 0) {
                continue;
            }
            long size = flood(labels, shape, offsets, label, start, seen, stack, null);
            out.add(new Component(label, size, start));
        }
        return out;
    }

    /**
     * Visits every voxel of the component holding {@code seed} (voxels of its label connected to it).
     *
     * @param visited marks the voxels visited (all false on entry for the voxels of this component)
     * @return the component's size
     */
    public static long fill(Labels labels, long[] shape, int connectivity, int seed, boolean[] visited,
            java.util.function.IntConsumer visit) {
        checkShape(visited.length, shape);
        return flood(labels, shape, offsets(connectivity), labels.at(seed), seed, visited, new IntStack(), visit);
    }

    private static long flood(Labels labels, long[] shape, int[][] offsets, int label, int start, boolean[] seen,
            IntStack stack, java.util.function.IntConsumer visit) {
        int nx = (int) shape[0];
        int ny = (int) shape[1];
        int nz = (int) shape[2];
        int plane = nx * ny;
        long size = 0;
        stack.push(start);
        seen[start] = true;
        while (!stack.isEmpty()) {
            int i = stack.pop();
            size++;
            if (visit != null) {
                visit.accept(i);
            }
            int x = i % nx;
            int y = (i / nx) % ny;
            int z = i / plane;
            for (int[] o : offsets) {
                int x2 = x + o[0];
                int y2 = y + o[1];
                int z2 = z + o[2];
                if (x2 < 0 || y2 < 0 || z2 < 0 || x2 >= nx || y2 >= ny || z2 >= nz) {
                    continue;
                }
                int j = x2 + nx * y2 + plane * z2;
                if (!seen[j] && labels.at(j) == label) {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        return size;
    }

    /** Neighbour offsets (dx, dy, dz) of a connectivity. */
    static int[][] offsets(int connectivity) {
        int maxNonzero = switch (connectivity) {
            case 6 -> 1;
            case 18 -> 2;
            case 26 -> 3;
            default -> throw new IllegalArgumentException("Connectivity must be 6, 18 or 26, got " + connectivity);
        };
        List<int[]> o = new ArrayList<>();
        for (int dz = -1; dz <= 1; dz++) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nonzero = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
                    if (nonzero > 0 && nonzero <= maxNonzero) {
                        o.add(new int[] {dx, dy, dz});
                    }
                }
            }
        }
        return o.toArray(new int[0][]);
    }

    private static int checkShape(int length, long[] shape) {
        if (shape.length != AxisOrder.SPATIAL_DIMS) {
            throw new IllegalArgumentException("Shape " + AxisOrder.format(shape) + " needs 3 axes");
        }
        long n = shape[0] * shape[1] * shape[2];
        if (n > Integer.MAX_VALUE || (length >= 0 && n != length)) {
            throw new IllegalArgumentException("Shape " + AxisOrder.format(shape) + " does not match "
                    + (length >= 0 ? length + " voxels" : "one array"));
        }
        return (int) n;
    }

    /** A growable stack of voxel indices (a flood fill's front). */
    private static final class IntStack {
        private int[] items = new int[1024];
        private int top;

        void push(int v) {
            if (top == items.length) {
                items = Arrays.copyOf(items, top * 2);
            }
            items[top++] = v;
        }

        int pop() {
            return items[--top];
        }

        boolean isEmpty() {
            return top == 0;
        }
    }

    /** A growable list of longs (component sizes). */
    private static final class LongList {
        private long[] values = new long[4];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}

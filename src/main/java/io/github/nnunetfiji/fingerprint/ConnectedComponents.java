package io.github.nnunetfiji.fingerprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * Connected components of every foreground class of a label map.
 *
 * <p>Voxels are connected when they share a face (6 neighbours in 3D, 4 in a 2D image). This is
 * the stricter choice: a class that forms one component here also forms one with 26 neighbours,
 * so the postprocessing rule "this class is always a single component" is never taken from
 * components that only touch at an edge or a corner. It is also scipy's {@code ndimage.label}
 * default, which makes counts easy to check. Postprocessing must use the same connectivity.
 */
public final class ConnectedComponents {

    /** Voxels sharing a face are connected. */
    public static final int CONNECTIVITY = 6;

    private ConnectedComponents() {
    }

    /**
     * Finds the connected components of every label value above 0.
     *
     * @param labels label values, x fastest then y then z ({@link AxisOrder}); values below 1 are background
     * @param shape  voxels per axis; their product is {@code labels.length}
     * @return the components of every foreground label present, by ascending label
     * @throws IllegalArgumentException if the shape does not match the array length
     */
    public static List<ClassComponents> of(int[] labels, long[] shape) {
        if (shape.length != AxisOrder.SPATIAL_DIMS || shape[0] * shape[1] * shape[2] != labels.length) {
            throw new IllegalArgumentException("Shape " + AxisOrder.format(shape) + " does not match "
                    + labels.length + " voxels");
        }
        int nx = (int) shape[0];
        int ny = (int) shape[1];
        int nz = (int) shape[2];
        int plane = nx * ny;
        boolean[] seen = new boolean[labels.length];
        int[] stack = new int[1024];
        TreeMap<Integer, LongList> sizes = new TreeMap<>();
        for (int start = 0; start < labels.length; start++) {
            int label = labels[start];
            if (label <= 0 || seen[start]) {
                continue;
            }
            // Flood fill from start over voxels of the same label.
            long size = 0;
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            while (top > 0) {
                int i = stack[--top];
                size++;
                int x = i % nx;
                int y = (i / nx) % ny;
                int z = i / plane;
                if (stack.length - top < 6) {
                    stack = Arrays.copyOf(stack, stack.length * 2);
                }
                if (x > 0 && !seen[i - 1] && labels[i - 1] == label) {
                    seen[i - 1] = true;
                    stack[top++] = i - 1;
                }
                if (x < nx - 1 && !seen[i + 1] && labels[i + 1] == label) {
                    seen[i + 1] = true;
                    stack[top++] = i + 1;
                }
                if (y > 0 && !seen[i - nx] && labels[i - nx] == label) {
                    seen[i - nx] = true;
                    stack[top++] = i - nx;
                }
                if (y < ny - 1 && !seen[i + nx] && labels[i + nx] == label) {
                    seen[i + nx] = true;
                    stack[top++] = i + nx;
                }
                if (z > 0 && !seen[i - plane] && labels[i - plane] == label) {
                    seen[i - plane] = true;
                    stack[top++] = i - plane;
                }
                if (z < nz - 1 && !seen[i + plane] && labels[i + plane] == label) {
                    seen[i + plane] = true;
                    stack[top++] = i + plane;
                }
            }
            sizes.computeIfAbsent(label, k -> new LongList()).add(size);
        }
        List<ClassComponents> out = new ArrayList<>(sizes.size());
        sizes.forEach((label, list) -> out.add(new ClassComponents(label, list.toArray())));
        return out;
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

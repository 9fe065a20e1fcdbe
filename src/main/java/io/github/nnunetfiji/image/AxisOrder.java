package io.github.nnunetfiji.image;

/**
 * The one axis convention of this project. Every reader, writer and stage follows it.
 *
 * <ul>
 *   <li>Images are always three spatial axes, indexed {@code 0, 1, 2} and called
 *       {@code x, y, z}. Axis 0 varies fastest in memory.</li>
 *   <li>Axis {@code d} is NIfTI voxel axis {@code d} ({@code i, j, k}), the {@code d}-th index of
 *       the array nibabel returns ({@code data[x, y, z]}), and ImageJ's x (width), y (height) and
 *       z (slice). No reader or writer ever reverses axes, so shapes read the same in Fiji, in
 *       nibabel and here.</li>
 *   <li>{@code spacing[d]} is the physical size of a voxel along axis {@code d} (NIfTI
 *       {@code pixdim[d+1]}, ImageJ {@code pixelWidth}, {@code pixelHeight}, {@code pixelDepth}).</li>
 *   <li>A 2D image has {@code z = 1}; it is a 3D image of one slice, so 2D and 3D data share all code.</li>
 *   <li>Channels are not an axis: an image holds one 3D array per channel (NIfTI's 4th dimension,
 *       ImageJ's channels, or one file per channel).</li>
 *   <li>World coordinates are NIfTI's (RAS+, as nibabel's affine); see {@link Geometry}.</li>
 * </ul>
 *
 * <p>Other tools order axes differently (SimpleITK arrays and the reference implementation's
 * internals are {@code z, y, x}); converting to them is the job of the code that talks to them.
 */
public final class AxisOrder {

    /** Number of spatial axes of every image. */
    public static final int SPATIAL_DIMS = 3;

    public static final int X = 0;
    public static final int Y = 1;
    public static final int Z = 2;

    private static final String[] NAMES = {"x", "y", "z"};

    private AxisOrder() {
    }

    /** Name of an axis ("x", "y" or "z"). */
    public static String name(int axis) {
        return NAMES[axis];
    }

    /** Formats a per-axis vector as {@code "AxBxC"} in axis order. */
    public static String format(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < v.length; d++) {
            if (d > 0) {
                sb.append('x');
            }
            sb.append(v[d]);
        }
        return sb.toString();
    }

    /** Formats a per-axis vector as {@code "AxBxC"} in axis order, with up to 4 decimals. */
    public static String format(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < v.length; d++) {
            if (d > 0) {
                sb.append('x');
            }
            sb.append(trim(v[d]));
        }
        return sb.toString();
    }

    private static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}

package io.github.nnunetfiji.io.nifti;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.util.AtomicFiles;

/**
 * Reads and writes NIfTI-1 images ({@code .nii}, {@code .nii.gz}) as {@link Image}s.
 *
 * <p>Reading follows nibabel: shape, channels, values and {@code img.affine} come out as nibabel
 * reports them (see {@link NiftiHeader} for the geometry rules). Axes are never reordered
 * ({@link AxisOrder}). A 4th dimension (or a 5th one when the 4th is 1) becomes the channels.
 * Pixels keep their stored type (uint8 to {@code UnsignedByteType}, int16 to {@code ShortType},
 * float32 to {@code FloatType}, ...) unless the header asks for scaling
 * ({@code scl_slope} finite, nonzero and not {@code (1, 0)}): then the values are
 * {@code stored * scl_slope + scl_inter}, computed in double precision as nibabel does, and kept
 * as {@code FloatType} ({@code DoubleType} for int32 and float64 files). Whether a file is gzip
 * compressed is decided by its content, not its name.
 *
 * <p>Reading streams the (decompressed) bytes in chunks straight into one primitive array per
 * channel, so it needs little more memory than the image itself; the size declared by the header
 * is checked against the file and the free heap before anything large is allocated.
 *
 * <p>Writing produces little-endian NIfTI-1 with {@code vox_offset} 352, magic {@code n+1},
 * {@code pixdim} = spacing, and both sform and qform (code 1, "scanner") describing the image's
 * geometry; names ending in {@code .gz} are gzip compressed at level {@value #GZIP_LEVEL}
 * (nibabel's default: fast, and little larger than higher levels for image data). Files are
 * written atomically ({@link AtomicFiles}).
 */
public final class NiftiIO {

    /** Deflate level of written {@code .nii.gz} files. */
    public static final int GZIP_LEVEL = 1;

    private NiftiIO() {
    }

    /** True if the file name ends in {@code .nii} or {@code .nii.gz} (any case). */
    public static boolean isNifti(Path p) {
        if (p == null || p.getFileName() == null) {
            return false;
        }
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".nii") || n.endsWith(".nii.gz");
    }

    /**
     * Reads and validates the header only (decompressing just its first bytes).
     *
     * @throws NiftiFormatException if the file is not a NIfTI-1 image this reader supports
     * @throws IOException if the file cannot be read
     */
    public static NiftiHeader readHeader(Path p) throws IOException {
        return NiftiReader.readHeader(p);
    }

    /**
     * Reads a whole image: one 3D channel per volume of the 4th (or 5th) dimension, geometry as
     * nibabel's affine.
     *
     * @throws NiftiFormatException if the file is not a NIfTI-1 image this reader supports, is
     *         truncated, or is too large for the memory available
     * @throws IOException if the file cannot be read
     */
    public static Image read(Path p) throws IOException {
        return NiftiReader.read(p);
    }

    /**
     * Writes an image with the datatype of its channel 0 pixel type (UnsignedByteType to uint8,
     * ByteType to int8, ShortType to int16, UnsignedShortType to uint16, IntType to int32,
     * FloatType to float32, DoubleType to float64). Other channels are converted to that datatype.
     *
     * @throws IllegalArgumentException if the path is not a NIfTI name, the pixel type has no
     *         NIfTI-1 datatype (use {@link #write(Image, Path, NiftiDataType)}), or the image is too
     *         large for NIfTI-1 (more than 32767 voxels along an axis or channels)
     */
    public static void write(Image img, Path p) throws IOException {
        NiftiDataType t = NiftiDataType.forPixelType(img.channel(0).getType());
        if (t == null) {
            throw new IllegalArgumentException("Cannot write " + p + ": pixel type " + img.pixelTypeName()
                    + " has no NIfTI-1 datatype; choose one with write(image, path, NiftiDataType).");
        }
        write(img, p, t);
    }

    /**
     * Writes an image with the given datatype. For integer datatypes, values are rounded to the
     * nearest integer (ties to even); a value that is NaN or out of the datatype's range after
     * rounding fails the write with an {@link IllegalArgumentException} and leaves no file behind.
     *
     * @throws IllegalArgumentException as for {@link #write(Image, Path)}, or for values that do
     *         not fit the datatype
     */
    public static void write(Image img, Path p, NiftiDataType type) throws IOException {
        NiftiWriter.write(img, p, type, GZIP_LEVEL);
    }
}

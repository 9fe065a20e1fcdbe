package io.github.nnunetfiji.io.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Geometry;

/**
 * A validated NIfTI-1 header: the raw fields as stored in the file, plus what they mean in this
 * project's model ({@link #shape()}, {@link #channels()}, {@link #geometry()}).
 *
 * <p>The geometry ({@link NiftiAffine}) is nibabel's {@code img.affine}: the sform if {@code sform_code > 0}, else the
 * qform if {@code qform_code > 0} (quaternion, {@code qfac = pixdim[0]}), else nibabel's
 * pixdim-only fallback (x flipped, origin at the volume centre). As nibabel does when it loads a
 * file, zero spatial {@code pixdim} values count as 1, negative ones by their absolute value, a
 * {@code qfac} other than -1 or 1 as 1, and unknown xform codes as 0. The raw getters
 * ({@link #pixdim()}, {@link #qformCode()}, ...) return the values as stored, before these fixes.
 *
 * <p>Spacing is {@code pixdim[1..3]} (after those fixes) for the qform and the pixdim-only
 * fallback, and the length of each affine column for the sform, which keeps
 * {@link Geometry#affine()} equal to the sform; in consistent files the two agree to float32
 * precision.
 *
 * <p>Instances are immutable and only exist for headers that {@link NiftiIO#read} can read.
 */
public final class NiftiHeader {

    /** {@code sizeof_hdr} of a NIfTI-1 header. */
    public static final int SIZEOF_HDR = 348;
    /** {@code sizeof_hdr} of a NIfTI-2 header (not supported). */
    static final int NIFTI2_SIZEOF_HDR = 540;
    /** Offset of the voxel data in files this project writes: header plus 4 extension bytes. */
    static final int WRITE_VOX_OFFSET = 352;
    /**
     * Largest number of voxels in one channel: a Java array (and so an ImgLib2 {@code ArrayImg})
     * holds at most about 2^31 elements.
     */
    public static final long MAX_CHANNEL_VOXELS = Integer.MAX_VALUE - 8;

    /** Which header fields the geometry comes from. */
    public enum AffineSource {
        /** {@code srow_x/y/z}, used when {@code sform_code > 0}. */
        SFORM,
        /** The quaternion, {@code qoffset} and {@code pixdim}, used when only {@code qform_code > 0}. */
        QFORM,
        /** Neither code set: nibabel's fallback from {@code pixdim} and the shape. */
        PIXDIM
    }

    private final Path file;
    private final ByteOrder byteOrder;
    private final int[] dim;
    private final int datatypeCode;
    private final NiftiDataType datatype;
    private final int bitpix;
    private final double[] pixdim;
    private final double voxOffset;
    private final double sclSlope;
    private final double sclInter;
    private final int qformCode;
    private final int sformCode;
    private final double[] quatern;
    private final double[] qoffset;
    private final double[][] srow;
    private final int xyztUnits;
    private final int intentCode;
    private final String description;

    private final long[] shape;
    private final int channels;
    private final boolean scaled;
    private final AffineSource affineSource;
    private final Geometry geometry;
    private final double[][] affine;

    private NiftiHeader(Path file, ByteBuffer b) throws NiftiFormatException {
        this.file = file;
        this.byteOrder = b.order();
        dim = new int[8];
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getShort(40 + 2 * i);
        }
        datatypeCode = b.getShort(70);
        bitpix = b.getShort(72);
        pixdim = new double[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = b.getFloat(76 + 4 * i);
        }
        voxOffset = b.getFloat(108);
        sclSlope = b.getFloat(112);
        sclInter = b.getFloat(116);
        xyztUnits = b.get(123) & 0xFF;
        intentCode = b.getShort(68);
        description = cString(b, 148, 80);
        qformCode = b.getShort(252);
        sformCode = b.getShort(254);
        quatern = new double[] {b.getFloat(256), b.getFloat(260), b.getFloat(264)};
        qoffset = new double[] {b.getFloat(268), b.getFloat(272), b.getFloat(276)};
        srow = new double[3][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                srow[r][c] = b.getFloat(280 + 16 * r + 4 * c);
            }
        }

        // Validation, in the order a user would want to hear about problems.
        int nd = dim[0];
        if (nd < 1 || nd > 7) {
            throw corrupt("dim[0] (the number of dimensions) is " + nd + ", but must be 1 to 7.");
        }
        for (int i = 1; i <= nd; i++) {
            if (dim[i] <= 0) {
                throw corrupt("dim[" + i + "] is " + dim[i] + ", but the size of every used dimension must be positive"
                        + " (dims " + dimsText() + ").");
            }
        }
        datatype = NiftiDataType.fromCode(datatypeCode);
        if (datatype == null) {
            throw new NiftiFormatException(file, "Its voxel datatype " + NiftiDataType.describeCode(datatypeCode)
                    + " is not supported (supported: uint8, int8, int16, uint16, int32, float32, float64).",
                    "Convert the image to one of these, e.g. float32 (complex and RGB images must be split"
                            + " into real-valued channels first).");
        }
        shape = new long[] {1, 1, 1};
        for (int d = 0; d < Math.min(nd, 3); d++) {
            shape[d] = dim[d + 1];
        }
        // Channels: the 4th dimension, or the 5th when the 4th is 1 (vector images, dim[0] = 5).
        long ch = 1;
        int nonUnit = 0;
        for (int i = 4; i <= nd; i++) {
            ch *= dim[i];
            if (dim[i] > 1) {
                nonUnit++;
            }
        }
        if (nonUnit > 1) {
            throw new NiftiFormatException(file, "It has " + nd + " dimensions (" + dimsText()
                    + ") with more than one non-spatial dimension larger than 1; only one (channels, in dim[4]"
                    + " or dim[5]) is supported.", "Split the file into several images with one channel axis each.");
        }
        channels = (int) ch;
        long perChannel = shape[0] * shape[1] * shape[2];
        if (perChannel > MAX_CHANNEL_VOXELS) {
            throw new NiftiFormatException(file, "One channel has " + perChannel + " voxels ("
                    + AxisOrder.format(shape) + "), more than the " + MAX_CHANNEL_VOXELS
                    + " elements an ImgLib2 array image can hold (2^31 limit of Java arrays).",
                    "Crop or downsample the image before using it here.");
        }
        if (!Double.isFinite(voxOffset) || voxOffset < SIZEOF_HDR) {
            throw corrupt("vox_offset is " + fmt(voxOffset) + ", but the voxel data of a single-file NIfTI must start"
                    + " at byte 348 or later (usually 352).");
        }

        // Scaling exactly as nibabel's get_slope_inter: an unusable slope means "no scaling".
        if (sclSlope == 0 || !Double.isFinite(sclSlope)) {
            scaled = false;
        } else {
            if (!Double.isFinite(sclInter)) {
                throw corrupt("scl_slope is " + fmt(sclSlope) + " but scl_inter is " + fmt(sclInter)
                        + "; a valid slope needs a finite intercept.");
            }
            scaled = !(sclSlope == 1 && sclInter == 0);
        }

        // Geometry, as nibabel's get_best_affine after its header fixes.
        NiftiAffine.Choice choice = NiftiAffine.choose(file, nd, shape, pixdim, sformCode, qformCode, srow, quatern, qoffset);
        affineSource = choice.source();
        geometry = choice.geometry();
        affine = geometry.affine();
    }

    /**
     * Parses and validates a header.
     *
     * @param file the file, for messages
     * @param block the first bytes of the (decompressed) file; at least {@link #SIZEOF_HDR} unless the file is shorter
     * @param length how many bytes of {@code block} are valid
     */
    static NiftiHeader parse(Path file, byte[] block, int length) throws NiftiFormatException {
        if (length >= 4) {
            ByteBuffer b = ByteBuffer.wrap(block, 0, length);
            int le = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            int be = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
            if (le == NIFTI2_SIZEOF_HDR || be == NIFTI2_SIZEOF_HDR) {
                throw new NiftiFormatException(file, "It is a NIfTI-2 file (sizeof_hdr 540); only NIfTI-1 is supported.",
                        "Save it as NIfTI-1, e.g. in Python: nibabel.save(nibabel.Nifti1Image.from_image("
                                + "nibabel.load(path)), 'out.nii.gz'), or open and re-save it in Fiji.");
            }
            if (le != SIZEOF_HDR && be != SIZEOF_HDR) {
                throw new NiftiFormatException(file, "It is not a NIfTI-1 file: its first 4 bytes (sizeof_hdr) read "
                        + le + " (little-endian) or " + be + " (big-endian), expected 348.",
                        "Check that the file is a .nii or .nii.gz image and was copied completely.");
            }
            if (length < SIZEOF_HDR) {
                throw truncatedHeader(file, length);
            }
            b.order(le == SIZEOF_HDR ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            checkMagic(file, block);
            return new NiftiHeader(file, b);
        }
        throw truncatedHeader(file, length);
    }

    private static NiftiFormatException truncatedHeader(Path file, int length) {
        return new NiftiFormatException(file, "It is truncated: it holds " + length
                + " bytes, less than the 348-byte NIfTI-1 header.",
                "The file is incomplete; copy or export it again.");
    }

    private static void checkMagic(Path file, byte[] block) throws NiftiFormatException {
        if (block[344] == 'n' && block[345] == '+' && block[346] == '1' && block[347] == 0) {
            return;
        }
        if (block[344] == 'n' && block[345] == 'i' && block[346] == '1' && block[347] == 0) {
            throw new NiftiFormatException(file, "Its header has magic 'ni1', i.e. the voxels are in a separate .img"
                    + " file (a NIfTI-1 .hdr/.img pair), which is not supported.",
                    "Convert the pair to a single .nii or .nii.gz file (e.g. with nibabel or Fiji).");
        }
        String magic = new String(block, 344, 4, StandardCharsets.ISO_8859_1).replace("\0", "\\0");
        throw new NiftiFormatException(file, "Its header lacks the NIfTI-1 magic 'n+1' (found '" + printable(magic)
                + "'): it is probably an Analyze 7.5 file, whose orientation is ambiguous, or a corrupt header.",
                "Convert it to NIfTI-1 (e.g. with nibabel, ITK-SNAP or Fiji) and check its orientation.");
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format(Locale.ROOT, "\\x%02x", (int) c));
        }
        return sb.toString();
    }

    private NiftiFormatException corrupt(String problem) {
        return corrupt(file, problem);
    }

    static NiftiFormatException corrupt(Path file, String problem) {
        return new NiftiFormatException(file, "Its header is corrupt: " + problem,
                "Re-export the image from its source, or repair the header (e.g. with nibabel).");
    }

    /** nibabel's {@code quat2mat}; see {@link NiftiAffine#quaternionToMatrix}. */
    static double[] quaternionToMatrix(double w, double x, double y, double z) {
        return NiftiAffine.quaternionToMatrix(w, x, y, z);
    }

    /** Quaternion and qfac of a direction matrix; see {@link NiftiAffine#matrixToQuaternion}. */
    static double[] matrixToQuaternion(double[] direction) {
        return NiftiAffine.matrixToQuaternion(direction);
    }

    private String dimsText() {
        int nd = Math.max(1, Math.min(dim[0], 7));
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= nd; i++) {
            if (i > 1) {
                sb.append('x');
            }
            sb.append(dim[i]);
        }
        return sb.toString();
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static String cString(ByteBuffer b, int offset, int max) {
        int n = 0;
        while (n < max && b.get(offset + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = b.get(offset + i);
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Encodes a little-endian NIfTI-1 header plus the 4-byte (empty) extension flag, for voxel data
     * at offset 352. Both sform and qform describe {@code g}, with the given xform code.
     */
    static byte[] encode(long[] shape, int channels, Geometry g, NiftiDataType type, int xformCode) {
        ByteBuffer b = ByteBuffer.allocate(WRITE_VOX_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, SIZEOF_HDR);
        b.put(38, (byte) 'r'); // "regular", as other writers set it
        int nd = channels > 1 ? 4 : 3;
        short[] dims = {(short) nd, (short) shape[0], (short) shape[1], (short) shape[2], (short) channels, 1, 1, 1};
        for (int i = 0; i < 8; i++) {
            b.putShort(40 + 2 * i, dims[i]);
        }
        b.putShort(70, (short) type.code());
        b.putShort(72, (short) type.bitpix());

        double[][] a = g.affine();
        double[] spacing = g.spacing();
        double[] q = NiftiAffine.matrixToQuaternion(g.direction());
        float[] pix = {(float) q[4], (float) spacing[0], (float) spacing[1], (float) spacing[2], 1, 1, 1, 1};
        for (int i = 0; i < 8; i++) {
            b.putFloat(76 + 4 * i, pix[i]);
        }
        b.putFloat(108, WRITE_VOX_OFFSET);
        b.putFloat(112, 1f); // scl_slope 1, scl_inter 0: unscaled in every reader
        b.putFloat(116, 0f);
        b.put(123, (byte) 2); // xyzt_units: millimetres, time unknown
        byte[] descrip = "nnU-Net for Fiji".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < descrip.length; i++) {
            b.put(148 + i, descrip[i]);
        }
        b.putShort(252, (short) xformCode);
        b.putShort(254, (short) xformCode);
        b.putFloat(256, (float) q[1]);
        b.putFloat(260, (float) q[2]);
        b.putFloat(264, (float) q[3]);
        b.putFloat(268, (float) a[0][3]);
        b.putFloat(272, (float) a[1][3]);
        b.putFloat(276, (float) a[2][3]);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                b.putFloat(280 + 16 * r + 4 * c, (float) a[r][c]);
            }
        }
        b.put(344, (byte) 'n');
        b.put(345, (byte) '+');
        b.put(346, (byte) '1');
        // bytes 348..351 stay 0: no extensions
        return b.array();
    }

    // ---------------------------------------------------------------- getters

    /** The file this header was read from. */
    public Path file() {
        return file;
    }

    /** Byte order of the header and the voxel data. */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** {@code dim[0..7]} as stored: {@code dim[0]} is the number of dimensions, then the sizes. */
    public int[] dim() {
        return dim.clone();
    }

    /** The voxel datatype. */
    public NiftiDataType datatype() {
        return datatype;
    }

    /** The {@code datatype} code as stored. */
    public int datatypeCode() {
        return datatypeCode;
    }

    /** {@code bitpix} as stored (nibabel, like this reader, trusts {@code datatype} instead). */
    public int bitpix() {
        return bitpix;
    }

    /** {@code pixdim[0..7]} as stored ({@code pixdim[0]} is qfac, then the spacings). */
    public double[] pixdim() {
        return pixdim.clone();
    }

    /** {@code vox_offset} as stored: byte offset of the voxel data in the (decompressed) file. */
    public double voxOffset() {
        return voxOffset;
    }

    /** {@code scl_slope} as stored. */
    public double sclSlope() {
        return sclSlope;
    }

    /** {@code scl_inter} as stored. */
    public double sclInter() {
        return sclInter;
    }

    /**
     * True if reading applies {@code value * scl_slope + scl_inter} (slope finite, nonzero and
     * not {@code (1, 0)}), producing float (or double, see {@link NiftiDataType#scalesToDouble()}) pixels.
     */
    public boolean isScaled() {
        return scaled;
    }

    /** {@code qform_code} as stored. */
    public int qformCode() {
        return qformCode;
    }

    /** {@code sform_code} as stored. */
    public int sformCode() {
        return sformCode;
    }

    /** {@code quatern_b, quatern_c, quatern_d} as stored. */
    public double[] quaternion() {
        return quatern.clone();
    }

    /** {@code qoffset_x, qoffset_y, qoffset_z} as stored. */
    public double[] qoffset() {
        return qoffset.clone();
    }

    /** {@code srow_x, srow_y, srow_z} as stored (3 rows of 4). */
    public double[][] srow() {
        return new double[][] {srow[0].clone(), srow[1].clone(), srow[2].clone()};
    }

    /** {@code xyzt_units} as stored. */
    public int xyztUnits() {
        return xyztUnits;
    }

    /** {@code intent_code} as stored. */
    public int intentCode() {
        return intentCode;
    }

    /** {@code descrip} as stored. */
    public String description() {
        return description;
    }

    /** Shape in {@link AxisOrder} ({@code x, y, z}; missing dimensions are 1). */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of channels (the 4th dimension, or the 5th when the 4th is 1; else 1). */
    public int channels() {
        return channels;
    }

    /** Voxels per channel. */
    public long voxelsPerChannel() {
        return shape[0] * shape[1] * shape[2];
    }

    /** Where the geometry comes from. */
    public AffineSource affineSource() {
        return affineSource;
    }

    /** Spacing, origin and direction; its affine equals nibabel's {@code img.affine}. */
    public Geometry geometry() {
        return geometry;
    }

    /** The 4x4 voxel-to-world affine (nibabel's {@code img.affine}). */
    public double[][] affine() {
        double[][] a = new double[4][];
        for (int r = 0; r < 4; r++) {
            a[r] = affine[r].clone();
        }
        return a;
    }

    @Override
    public String toString() {
        return "NiftiHeader[" + file.getFileName() + ", " + AxisOrder.format(shape) + " x " + channels + " channel(s), "
                + datatype + (scaled ? " scaled " + sclSlope + "/" + sclInter : "") + ", "
                + (byteOrder == ByteOrder.BIG_ENDIAN ? "big" : "little") + "-endian, affine from " + affineSource
                + ", dim=" + Arrays.toString(dim) + "]";
    }
}

package io.github.nnunetfiji.io.nifti;

import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The NIfTI-1 voxel datatypes this project reads and writes, with their header codes and the
 * ImgLib2 pixel type each one is read into. Other NIfTI datatypes (complex, RGB, 64-bit integers,
 * uint32, float128) are rejected with a clear message.
 */
public enum NiftiDataType {
    UINT8(2, 1, "uint8", 0, 255),
    INT8(256, 1, "int8", Byte.MIN_VALUE, Byte.MAX_VALUE),
    INT16(4, 2, "int16", Short.MIN_VALUE, Short.MAX_VALUE),
    UINT16(512, 2, "uint16", 0, 65535),
    INT32(8, 4, "int32", Integer.MIN_VALUE, Integer.MAX_VALUE),
    FLOAT32(16, 4, "float32", Double.NaN, Double.NaN),
    FLOAT64(64, 8, "float64", Double.NaN, Double.NaN);

    private final int code;
    private final int bytes;
    private final String label;
    private final double min;
    private final double max;

    NiftiDataType(int code, int bytes, String label, double min, double max) {
        this.code = code;
        this.bytes = bytes;
        this.label = label;
        this.min = min;
        this.max = max;
    }

    /** The NIfTI {@code datatype} header code. */
    public int code() {
        return code;
    }

    /** Bytes per voxel. */
    public int bytesPerVoxel() {
        return bytes;
    }

    /** The NIfTI {@code bitpix} header value. */
    public int bitpix() {
        return bytes * 8;
    }

    /** True for the integer datatypes. */
    public boolean isInteger() {
        return !Double.isNaN(min);
    }

    /** Smallest value of an integer datatype (NaN for floating point). */
    public double minValue() {
        return min;
    }

    /** Largest value of an integer datatype (NaN for floating point). */
    public double maxValue() {
        return max;
    }

    /** The numpy-style name, e.g. {@code "int16"}. */
    public String label() {
        return label;
    }

    /**
     * True if voxels scaled by {@code scl_slope}/{@code scl_inter} are read as doubles
     * ({@code int32} and {@code float64}, which float32 cannot hold exactly); the others are read
     * as floats when scaled.
     */
    public boolean scalesToDouble() {
        return this == INT32 || this == FLOAT64;
    }

    /** The datatype with this header code, or {@code null} if it is not one of the supported ones. */
    public static NiftiDataType fromCode(int code) {
        for (NiftiDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /**
     * The datatype that stores an ImgLib2 pixel type without loss, or {@code null} if there is
     * none among the supported ones.
     */
    public static NiftiDataType forPixelType(RealType<?> type) {
        if (type instanceof UnsignedByteType) {
            return UINT8;
        } else if (type instanceof ByteType) {
            return INT8;
        } else if (type instanceof ShortType) {
            return INT16;
        } else if (type instanceof UnsignedShortType) {
            return UINT16;
        } else if (type instanceof IntType) {
            return INT32;
        } else if (type instanceof FloatType) {
            return FLOAT32;
        } else if (type instanceof DoubleType) {
            return FLOAT64;
        }
        return null;
    }

    /** A readable name of a NIfTI datatype code, including the unsupported ones. */
    static String describeCode(int code) {
        NiftiDataType t = fromCode(code);
        if (t != null) {
            return t.label;
        }
        switch (code) {
            case 0: return "unknown (0)";
            case 1: return "binary (1)";
            case 32: return "complex64 (32)";
            case 128: return "RGB24 (128)";
            case 255: return "all (255)";
            case 768: return "uint32 (768)";
            case 1024: return "int64 (1024)";
            case 1280: return "uint64 (1280)";
            case 1536: return "float128 (1536)";
            case 1792: return "complex128 (1792)";
            case 2048: return "complex256 (2048)";
            case 2304: return "RGBA32 (2304)";
            default: return "code " + code + " (not a NIfTI-1 datatype)";
        }
    }

    @Override
    public String toString() {
        return label;
    }
}

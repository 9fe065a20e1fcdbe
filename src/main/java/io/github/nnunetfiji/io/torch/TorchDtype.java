package io.github.nnunetfiji.io.torch;

import java.nio.ByteBuffer;

/**
 * The element types of the storages a checkpoint names ({@code torch.FloatStorage} ...), their
 * size in bytes and how one element reads as a float (little endian, as torch.save writes on
 * every platform PyTorch runs on).
 */
public enum TorchDtype {
    FLOAT32("FloatStorage", 4),
    FLOAT16("HalfStorage", 2),
    BFLOAT16("BFloat16Storage", 2),
    FLOAT64("DoubleStorage", 8),
    INT64("LongStorage", 8),
    INT32("IntStorage", 4),
    INT16("ShortStorage", 2),
    INT8("CharStorage", 1),
    UINT8("ByteStorage", 1),
    BOOL("BoolStorage", 1);

    private final String storageName;
    private final int bytes;

    TorchDtype(String storageName, int bytes) {
        this.storageName = storageName;
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The typed storage class's name in module {@code torch}, e.g. {@code FloatStorage}. */
    String storageName() {
        return storageName;
    }

    /** The type of {@code torch.NAME}, or null if NAME is no typed storage. */
    static TorchDtype ofStorage(String name) {
        for (TorchDtype t : values()) {
            if (t.storageName.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Element {@code index} of a little-endian buffer as a float. */
    float read(ByteBuffer b, long index) {
        int at = Math.toIntExact(index * bytes);
        return switch (this) {
            case FLOAT32 -> b.getFloat(at);
            case FLOAT16 -> halfToFloat(b.getShort(at));
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(at) & 0xFFFF) << 16);
            case FLOAT64 -> (float) b.getDouble(at);
            case INT64 -> b.getLong(at);
            case INT32 -> b.getInt(at);
            case INT16 -> b.getShort(at);
            case INT8 -> b.get(at);
            case UINT8 -> b.get(at) & 0xFF;
            case BOOL -> b.get(at) != 0 ? 1 : 0;
        };
    }

    /** IEEE 754 half precision to float (Float.float16ToFloat came with Java 20). */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float v = mantissa * 0x1p-24f; // subnormal: mantissa * 2^-24
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}

package io.github.nnunetfiji.io.nifti;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Builds NIfTI-1 files byte by byte for tests, with every header field under control (including
 * invalid values no writer would produce). Defaults: little-endian, magic {@code n+1},
 * {@code vox_offset} 352, {@code pixdim} all 1, no scaling, no xform.
 */
final class RawNifti {

    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    int sizeofHdr = 348;
    int[] dim = {3, 1, 1, 1, 1, 1, 1, 1};
    int datatype = 2;
    int bitpix = 8;
    float[] pixdim = {1, 1, 1, 1, 1, 1, 1, 1};
    float voxOffset = 352;
    float sclSlope = 0;
    float sclInter = 0;
    int qformCode = 0;
    int sformCode = 0;
    float[] quatern = {0, 0, 0};
    float[] qoffset = {0, 0, 0};
    float[][] srow = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
    String magic = "n+1\0";
    /** Bytes between the header (plus 4 extension flag bytes) and vox_offset. */
    byte[] extension = new byte[0];
    /** The voxel data exactly as stored. */
    byte[] data = new byte[0];

    RawNifti shape(int... dims) {
        dim = new int[] {dims.length, 1, 1, 1, 1, 1, 1, 1};
        System.arraycopy(dims, 0, dim, 1, dims.length);
        return this;
    }

    RawNifti type(NiftiDataType t) {
        datatype = t.code();
        bitpix = t.bitpix();
        return this;
    }

    /** Encodes values in the header's byte order and datatype as the voxel data. */
    RawNifti values(NiftiDataType t, double... v) {
        type(t);
        ByteBuffer b = ByteBuffer.allocate(v.length * t.bytesPerVoxel()).order(order);
        for (double x : v) {
            switch (t) {
                case UINT8:
                case INT8:
                    b.put((byte) (long) x);
                    break;
                case INT16:
                case UINT16:
                    b.putShort((short) (long) x);
                    break;
                case INT32:
                    b.putInt((int) (long) x);
                    break;
                case FLOAT32:
                    b.putFloat((float) x);
                    break;
                default:
                    b.putDouble(x);
            }
        }
        data = b.array();
        return this;
    }

    byte[] header() {
        ByteBuffer b = ByteBuffer.allocate(348).order(order);
        b.putInt(0, sizeofHdr);
        for (int i = 0; i < 8; i++) {
            b.putShort(40 + 2 * i, (short) dim[i]);
        }
        b.putShort(70, (short) datatype);
        b.putShort(72, (short) bitpix);
        for (int i = 0; i < 8; i++) {
            b.putFloat(76 + 4 * i, pixdim[i]);
        }
        b.putFloat(108, voxOffset);
        b.putFloat(112, sclSlope);
        b.putFloat(116, sclInter);
        b.putShort(252, (short) qformCode);
        b.putShort(254, (short) sformCode);
        for (int i = 0; i < 3; i++) {
            b.putFloat(256 + 4 * i, quatern[i]);
            b.putFloat(268 + 4 * i, qoffset[i]);
        }
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                b.putFloat(280 + 16 * r + 4 * c, srow[r][c]);
            }
        }
        byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 4 && i < m.length; i++) {
            b.put(344 + i, m[i]);
        }
        return b.array();
    }

    /** The whole (uncompressed) file. */
    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header());
        out.writeBytes(new byte[] {(byte) (extension.length > 0 ? 1 : 0), 0, 0, 0});
        out.writeBytes(extension);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** Writes the file; gzip compressed if the name ends in {@code .gz}. */
    Path write(Path file) throws IOException {
        byte[] bytes = bytes();
        if (file.getFileName().toString().endsWith(".gz")) {
            bytes = gzip(bytes);
        }
        Files.write(file, bytes);
        return file;
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(bytes);
        }
        return bo.toByteArray();
    }
}

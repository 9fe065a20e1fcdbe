package io.github.nnunetfiji.io.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * numpy scalars as the reference pickles them (its logs and best moving average are numpy floats):
 * {@code numpy.core.multiarray.scalar(numpy.dtype('f8', False, True) + state, bytes)}. Read as
 * {@code Double}, {@code Long} or {@code Boolean}; no numpy arrays.
 */
final class NumpyScalars {

    private NumpyScalars() {
    }

    /** A numpy.dtype: its type code ('f8', 'i4', ...) and, after BUILD, its byte order. */
    static final class Dtype implements PickleReader.Buildable {
        final String code;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        Dtype(String code) {
            this.code = code;
        }

        @Override
        public void build(Object state) throws PickleException {
            // (version, byte order, subarray, names, fields, elsize, alignment, flags)
            if (!(state instanceof List<?> s) || s.size() < 2 || !(s.get(1) instanceof String o)) {
                throw new PickleException("its pickle sets a numpy dtype's state to " + TorchGlobals.shortly(state));
            }
            if (o.equals(">")) {
                order = ByteOrder.BIG_ENDIAN;
            } else if (!o.equals("<") && !o.equals("|") && !o.equals("=")) {
                throw new PickleException("its pickle gives a numpy dtype the byte order '" + o + "'");
            }
        }

        @Override
        public String toString() {
            return "numpy.dtype('" + code + "')";
        }
    }

    static Object dtype(List<Object> args) throws PickleException {
        if (args.isEmpty() || !(args.get(0) instanceof String code) || !code.matches("[fiub][1248]")) {
            throw new PickleException("its pickle builds a numpy dtype " + TorchGlobals.shortly(args)
                    + "; only numeric scalars (f2..f8, i1..i8, u1..u8, b1) are read");
        }
        return new Dtype(code);
    }

    static Object scalar(List<Object> args) throws PickleException {
        if (args.size() != 2 || !(args.get(0) instanceof Dtype d) || !(args.get(1) instanceof byte[] raw)) {
            throw new PickleException("its pickle builds a numpy value other than a scalar (a numpy array?): "
                    + TorchGlobals.shortly(args));
        }
        int size = d.code.charAt(1) - '0';
        if (raw.length != size) {
            throw new PickleException("its pickle gives a numpy " + d.code + " scalar " + raw.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(d.order);
        return switch (d.code) {
            case "f2" -> (double) TorchDtype.halfToFloat(b.getShort());
            case "f4" -> (double) b.getFloat();
            case "f8" -> b.getDouble();
            case "i1" -> (long) b.get();
            case "i2" -> (long) b.getShort();
            case "i4" -> (long) b.getInt();
            case "i8" -> b.getLong();
            case "u1", "b1" -> d.code.equals("b1") ? (Object) (raw[0] != 0) : (Object) (long) (raw[0] & 0xFF);
            case "u2" -> (long) (b.getShort() & 0xFFFF);
            case "u4" -> b.getInt() & 0xFFFFFFFFL;
            case "u8" -> unsigned(b.getLong());
            default -> throw new PickleException("its pickle builds a numpy scalar of type " + d.code);
        };
    }

    private static Object unsigned(long v) {
        return v >= 0 ? (Object) v : new java.math.BigInteger(Long.toUnsignedString(v));
    }
}

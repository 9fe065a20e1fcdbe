package io.github.nnunetfiji.io.torch;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The globals a checkpoint's pickle may name, and what each makes: the few that torch.save writes
 * for tensors, storages and the plain metadata of the reference's checkpoints. A checkpoint is data,
 * never code: any other name (os.system, builtins.eval, a class of the training code) is refused.
 */
final class TorchGlobals implements PickleReader.Globals {

    /** Loads a storage for a persistent id: its type, key, location and element count. */
    interface StorageLoader {
        TorchStorage load(TorchDtype dtype, String key, long elements) throws PickleException;
    }

    /** A typed storage class, as named in a persistent id. */
    record StorageType(TorchDtype dtype) {
    }

    private static final Set<String> UNTYPED_STORAGES = Set.of("torch.UntypedStorage", "torch._UntypedStorage",
            "torch.storage.UntypedStorage", "torch.storage._UntypedStorage");

    private final StorageLoader storages;

    TorchGlobals(StorageLoader storages) {
        this.storages = storages;
    }

    /** A named callable, so that refusals can name it. */
    private record Named(String name, PickleReader.Callable body) implements PickleReader.Callable {
        @Override
        public Object call(List<Object> args) throws PickleException {
            return body.call(args);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @Override
    public Object find(String module, String name) throws PickleException {
        String full = module + "." + name;
        if (module.equals("torch") && TorchDtype.ofStorage(name) != null) {
            return new StorageType(TorchDtype.ofStorage(name));
        }
        if (UNTYPED_STORAGES.contains(full)) {
            return new StorageType(TorchDtype.UINT8); // as torch.load reads them: bytes
        }
        return switch (full) {
            case "collections.OrderedDict" -> new Named(full, TorchGlobals::orderedDict);
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" ->
                new Named(full, TorchGlobals::rebuildTensor);
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" ->
                new Named(full, TorchGlobals::rebuildParameter);
            case "torch.device" -> new Named(full, TorchGlobals::device);
            case "numpy.dtype" -> new Named(full, NumpyScalars::dtype);
            case "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar" -> new Named(full, NumpyScalars::scalar);
            case "_codecs.encode" -> new Named(full, TorchGlobals::encode);
            default -> throw new PickleException("its pickle names the global " + full
                    + ", which a checkpoint of weights never needs: only tensors, storages and plain data (dicts, "
                    + "lists, numbers, strings, torch.device, numpy scalars) are read. A checkpoint is data, never "
                    + "code; this file would run code or build objects of a program if PyTorch loaded it without "
                    + "weights_only");
        };
    }

    @Override
    public Object persistentLoad(Object pid) throws PickleException {
        // ('storage', storage type, key, location, element count), as torch.save writes it.
        if (!(pid instanceof List<?> t) || t.size() != 5 || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof StorageType type) || !(t.get(2) instanceof String key)
                || !(t.get(3) instanceof String) || !(t.get(4) instanceof Long elements)) {
            throw new PickleException("its pickle references a storage as " + shortly(pid)
                    + ", not as torch.save does ('storage', type, key, location, size)");
        }
        return storages.load(type.dtype(), key, elements);
    }

    private static Object orderedDict(List<Object> args) throws PickleException {
        Map<Object, Object> d = new LinkedHashMap<>();
        if (args.isEmpty()) {
            return d;
        }
        if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
            for (Object p : pairs) {
                if (!(p instanceof List<?> kv) || kv.size() != 2) {
                    throw new PickleException("its pickle builds an OrderedDict from something other than pairs");
                }
                d.put(kv.get(0), kv.get(1));
            }
            return d;
        }
        throw new PickleException("its pickle builds an OrderedDict from " + args.size() + " arguments");
    }

    /** (storage, offset, size, stride[, requires_grad, backward_hooks[, metadata]]). */
    private static Object rebuildTensor(List<Object> args) throws PickleException {
        if (args.size() < 4 || args.size() > 7 || !(args.get(0) instanceof TorchStorage storage)
                || !(args.get(1) instanceof Long offset)) {
            throw new PickleException("its pickle rebuilds a tensor from " + args.size()
                    + " arguments that are not (storage, offset, size, stride, ...)");
        }
        long[] shape = longs(args.get(2), "size");
        long[] stride = longs(args.get(3), "stride");
        try {
            return new TorchTensor(storage, offset, shape, stride);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new PickleException("its pickle describes " + e.getMessage());
        }
    }

    private static Object rebuildParameter(List<Object> args) throws PickleException {
        if (args.isEmpty() || !(args.get(0) instanceof TorchTensor t)) {
            throw new PickleException("its pickle rebuilds a parameter without a tensor");
        }
        return t;
    }

    private static Object device(List<Object> args) throws PickleException {
        if (args.size() == 1 && args.get(0) instanceof String s) {
            int colon = s.indexOf(':');
            if (colon < 0) {
                return new TorchDevice(s, null);
            }
            try {
                return new TorchDevice(s.substring(0, colon), Integer.valueOf(s.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new PickleException("its pickle names the device '" + s + "'");
            }
        }
        if (args.size() == 2 && args.get(0) instanceof String s && args.get(1) instanceof Long i) {
            return new TorchDevice(s, Math.toIntExact(i));
        }
        throw new PickleException("its pickle builds a torch.device from " + shortly(args));
    }

    /** Python 3 bytes pickled at protocol 2: codecs.encode(text, 'latin1'). */
    private static Object encode(List<Object> args) throws PickleException {
        if (args.size() == 2 && args.get(0) instanceof String s
                && ("latin1".equals(args.get(1)) || "latin-1".equals(args.get(1)))) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        throw new PickleException("its pickle calls _codecs.encode other than for bytes (text, 'latin1')");
    }

    private static long[] longs(Object o, String what) throws PickleException {
        if (!(o instanceof List<?> l) || l.size() > TorchTensor.MAX_AXES) {
            throw new PickleException("its pickle gives a tensor's " + what + " as " + shortly(o));
        }
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) {
            if (!(l.get(i) instanceof Long v)) {
                throw new PickleException("its pickle gives a tensor's " + what + " as " + shortly(o));
            }
            r[i] = v;
        }
        return r;
    }

    static String shortly(Object o) {
        String s = String.valueOf(o);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}

package io.github.nnunetfiji.io.torch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PyTorch checkpoint (torch.save's zip format, PyTorch 1.6 and later) read without Python and
 * without running anything it holds: the pickle is read by {@link PickleReader} with the globals of
 * {@link TorchGlobals} only, tensors are views of the storages, read once each however many names
 * they have. The root is plain Java values (see {@link PickleReader}) with {@link TorchTensor}s and
 * {@link TorchDevice}s.
 */
public final class TorchCheckpoint {

    private final Path file;
    private final Object root;

    private TorchCheckpoint(Path file, Object root) {
        this.file = file;
        this.root = root;
    }

    /** Reads and checks {@code file}; every storage its pickle references is read. */
    public static TorchCheckpoint read(Path file) throws IOException {
        try (TorchZip zip = TorchZip.open(file)) {
            if (zip.has("byteorder")) {
                String order = new String(zip.read("byteorder", 16), StandardCharsets.US_ASCII).trim();
                if (!order.equals("little")) {
                    throw new TorchCheckpointException(file + " was saved on a " + order + "-endian machine, which is "
                            + "not read: load and save it again with PyTorch on a little-endian one (x86, ARM).");
                }
            }
            byte[] pickle = zip.read("data.pkl", TorchZip.MAX_PICKLE_BYTES);
            Map<String, TorchStorage> storages = new HashMap<>();
            TorchGlobals globals = new TorchGlobals((dtype, key, elements) -> storage(zip, storages, dtype, key,
                    elements));
            try {
                return new TorchCheckpoint(file, PickleReader.read(pickle, globals));
            } catch (PickleException e) {
                throw new TorchCheckpointException((e.getMessage().startsWith("its pickle names the global")
                        ? "Refusing to read " : "Cannot read ") + file + ": " + e.getMessage() + ".", e);
            } catch (StorageFailure e) {
                throw e.getCause();
            }
        }
    }

    /** Carries an IOException of the zip through the pickle reader's callbacks. */
    private static final class StorageFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StorageFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private static TorchStorage storage(TorchZip zip, Map<String, TorchStorage> storages, TorchDtype dtype,
            String key, long elements) throws PickleException {
        if (!key.matches("[A-Za-z0-9_]{1,64}")) {
            throw new PickleException("its pickle references the storage '" + TorchGlobals.shortly(key)
                    + "', not a name torch.save gives");
        }
        TorchStorage known = storages.get(key);
        if (known != null) {
            if (known.dtype != dtype || known.elements != elements) {
                throw new PickleException("its pickle references the storage " + key + " as " + dtype + " x "
                        + elements + " and as " + known.dtype + " x " + known.elements);
            }
            return known;
        }
        if (elements < 0 || elements > (Integer.MAX_VALUE - 8) / dtype.bytes()) {
            throw new PickleException("its pickle gives the storage " + key + " " + elements + " elements of "
                    + dtype.bytes() + " bytes; at most 2 GiB per storage are read");
        }
        byte[] data;
        try {
            data = zip.read("data/" + key, elements * dtype.bytes());
        } catch (IOException e) {
            throw new StorageFailure(e);
        }
        if (data.length != elements * dtype.bytes()) {
            throw new PickleException("its storage data/" + key + " holds " + data.length + " bytes where its pickle "
                    + "declares " + elements + " elements of " + dtype.bytes() + " bytes (the file is damaged)");
        }
        TorchStorage s = new TorchStorage(key, dtype, data);
        storages.put(key, s);
        return s;
    }

    public Path file() {
        return file;
    }

    /** The pickled object: for the reference's checkpoints a dict of network_weights, init_args, ... */
    public Object root() {
        return root;
    }

    /** The value at a path of string keys through nested dicts ({@code "init_args", "plans"}). */
    public Object get(String... path) throws TorchCheckpointException {
        Object o = root;
        StringBuilder at = new StringBuilder();
        for (String key : path) {
            if (!(o instanceof Map<?, ?> m) || !m.containsKey(key)) {
                throw new TorchCheckpointException(file + " holds no '" + at + (at.length() == 0 ? "" : "/") + key
                        + "'" + (o instanceof Map<?, ?> m2 ? " (its keys there: " + keys(m2) + ")" : "")
                        + ". Choose a checkpoint of the reference implementation's trainer (checkpoint_final.pth).");
            }
            o = m.get(key);
            at.append(at.length() == 0 ? "" : "/").append(key);
        }
        return o;
    }

    /**
     * The state dict at {@code path} (the root if empty): its tensors by name, in file order;
     * entries that are no tensors are refused, naming them.
     */
    public Map<String, TorchTensor> tensors(String... path) throws TorchCheckpointException {
        Object o = get(path);
        String where = path.length == 0 ? "its root" : "'" + String.join("/", path) + "'";
        if (!(o instanceof Map<?, ?> m)) {
            throw new TorchCheckpointException(file + ": " + where + " is no dict of tensors (a state dict)");
        }
        Map<String, TorchTensor> r = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof TorchTensor t)) {
                throw new TorchCheckpointException(file + ": " + where + " holds " + e.getKey() + " = "
                        + TorchGlobals.shortly(e.getValue()) + ", not a tensor: it is no state dict");
            }
            r.put(k, t);
        }
        return r;
    }

    private static String keys(Map<?, ?> m) {
        List<String> k = m.keySet().stream().map(String::valueOf).limit(12).toList();
        return String.join(", ", k) + (m.size() > 12 ? ", ..." : "");
    }
}

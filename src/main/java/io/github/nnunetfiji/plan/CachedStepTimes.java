package io.github.nnunetfiji.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.util.Json;

/**
 * Step times kept in a file ({@code WORK/<data set>/step_times.json}) so that planning again on
 * the same machine measures nothing: a time is reused when the machine ({@link StepTimes#machine}:
 * processor model, engine device, precision and threads), the network (a hash of its spec), the
 * patch and the batch are the same; anything else is measured and added. A file that cannot be
 * read is measured over.
 */
public final class CachedStepTimes implements StepTimes {

    /** The file's name in a data set's work folder. */
    public static final String FILE = "step_times.json";
    static final int FORMAT = 1;

    /**
     * One measurement and what it was measured for; {@code pass} is {@value #FORWARD} for a forward
     * pass of one patch, absent (null) for a training step.
     */
    record Entry(String machine, String network, String patch, int batch, double seconds, String pass) {

        boolean answers(Entry key) {
            return machine.equals(key.machine) && network.equals(key.network) && patch.equals(key.patch)
                    && batch == key.batch && Objects.equals(pass, key.pass);
        }
    }

    static final String FORWARD = "forward";

    /** The file. */
    static final class Contents {
        int format = FORMAT;
        List<Entry> measurements = new ArrayList<>();
    }

    private final Path file;
    private final StepTimes measure;
    private Contents contents;
    private String machine;
    private int measuredHere;

    /**
     * @param file    the cache file
     * @param measure what measures a step time that is not in the file
     */
    public CachedStepTimes(Path file, StepTimes measure) {
        this.file = file;
        this.measure = measure;
    }

    @Override
    public String machine() throws IOException {
        if (machine == null) {
            machine = measure.machine();
        }
        return machine;
    }

    @Override
    public double secondsPerStep(NetworkSpec spec, int[] patch, int batch) throws IOException {
        return cached(new Entry(machine(), networkKey(spec), patchKey(patch), batch, 0, null),
                () -> measure.secondsPerStep(spec, patch, batch));
    }

    @Override
    public double secondsPerForward(NetworkSpec spec, int[] patch) throws IOException {
        return cached(new Entry(machine(), networkKey(spec), patchKey(patch), 1, 0, FORWARD),
                () -> measure.secondsPerForward(spec, patch));
    }

    private interface Measurement {
        double seconds() throws IOException;
    }

    private double cached(Entry key, Measurement m) throws IOException {
        for (Entry e : contents().measurements) {
            if (e.answers(key)) {
                return e.seconds();
            }
        }
        double seconds = m.seconds();
        measuredHere++;
        contents.measurements.add(new Entry(key.machine(), key.network(), key.patch(), key.batch(), seconds,
                key.pass()));
        Json.write(file, contents);
        return seconds;
    }

    /** Step times measured (not found in the file) since this was made. */
    public int measured() {
        return measuredHere;
    }

    @Override
    public void close() {
        measure.close();
    }

    private Contents contents() {
        if (contents == null) {
            contents = read(file);
        }
        return contents;
    }

    private static Contents read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new Contents();
        }
        try {
            Contents c = Json.read(file, Contents.class);
            if (c != null && c.format == FORMAT && c.measurements != null && c.measurements.stream()
                    .allMatch(e -> e != null && e.machine() != null && e.network() != null && e.patch() != null)) {
                return c;
            }
        } catch (IOException | RuntimeException e) {
            // A cache: what cannot be read is measured again and the file rewritten.
        }
        return new Contents();
    }

    /** A hash of everything the network spec says (features, kernels, strides, loss, optimizer ...). */
    static String networkKey(NetworkSpec spec) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Json.toJson(spec).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }

    private static String patchKey(int[] patch) {
        StringBuilder sb = new StringBuilder();
        for (int p : patch) {
            sb.append(sb.length() > 0 ? "x" : "").append(p);
        }
        return sb.toString();
    }
}

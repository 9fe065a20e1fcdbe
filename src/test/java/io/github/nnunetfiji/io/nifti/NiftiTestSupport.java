package io.github.nnunetfiji.io.nifti;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.nnunetfiji.image.Image;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/** Helpers shared by the NIfTI tests: value hashes and the nibabel helper process. */
final class NiftiTestSupport {

    /** The Python with nibabel; Debian's, not a pyenv one on PATH. */
    static final String PYTHON = System.getProperty("nnunet.python", "/usr/bin/python3");

    private static Boolean nibabel;

    private NiftiTestSupport() {
    }

    /**
     * SHA-256 of all values as float64 little-endian, channel after channel, x fastest: the same
     * bytes as numpy's {@code get_fdata().astype('<f8').tobytes(order='F')}.
     */
    static String valuesSha256(Image img) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        for (RandomAccessibleInterval<? extends RealType<?>> ch : img.channels()) {
            for (RealType<?> t : Views.flatIterable(ch)) {
                bb.putDouble(t.getRealDouble());
                if (!bb.hasRemaining()) {
                    md.update(buf);
                    bb.clear();
                }
            }
        }
        md.update(buf, 0, bb.position());
        return HexFormat.of().formatHex(md.digest());
    }

    /** True if {@link #PYTHON} can import nibabel (checked once). */
    static synchronized boolean nibabelAvailable() {
        if (nibabel == null) {
            try {
                Process p = new ProcessBuilder(PYTHON, "-c", "import nibabel, numpy")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                nibabel = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                nibabel = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                nibabel = false;
            }
        }
        return nibabel;
    }

    /** The helper script, from the test resources. */
    static Path helperScript() {
        try {
            return Paths.get(NiftiTestSupport.class.getResource("nibabel_helper.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A running helper; {@link #results()} waits for it and parses its JSON lines. */
    static final class Helper {
        private final Process process;
        private final Path stderr;

        Helper(Path work, String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(PYTHON);
            cmd.add(helperScript().toString());
            cmd.addAll(List.of(args));
            stderr = Files.createTempFile(work, "helper", ".err");
            process = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
            process.getOutputStream().close();
        }

        List<JsonObject> results() throws IOException, InterruptedException {
            List<JsonObject> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isBlank()) {
                        out.add(JsonParser.parseString(line).getAsJsonObject());
                    }
                }
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("nibabel helper did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IOException("nibabel helper failed (exit " + process.exitValue() + "): "
                        + Files.readString(stderr));
            }
            return out;
        }
    }

    /** Writes paths one a line, for the helper's report mode. */
    static Path listFile(Path dir, List<Path> files) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            lines.add(f.toAbsolutePath().toString());
        }
        return Files.write(Files.createTempFile(dir, "files", ".txt"), lines);
    }
}

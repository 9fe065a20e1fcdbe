package io.github.nnunetfiji.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code /usr/bin/python3} with nibabel, numpy and scipy as an independent reference.
 * Tests that use it are skipped where these are not installed, and fail instead under
 * {@code CI=true} ({@link Prerequisites}; {@code .ci/run} installs them).
 */
public final class Nibabel {

    public static final String PYTHON = "/usr/bin/python3";

    private Nibabel() {
    }

    private static Boolean available;

    /** True if {@link #PYTHON} imports nibabel, numpy and scipy.ndimage (checked once). */
    public static synchronized boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder(PYTHON, "-c", "import nibabel, numpy, scipy.ndimage")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                available = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        return available;
    }

    /** Skips the test without nibabel, numpy and scipy, or fails it under {@code CI=true}. */
    public static void assumeAvailable() {
        Prerequisites.require(available(), PYTHON + " with nibabel, numpy and scipy "
                + "(apt-get install python3-nibabel python3-scipy)");
    }

    /** Skips unless nibabel, scipy and skimage (the reference's resampler) are all installed. */
    public static void assumeSkimageAvailable() {
        assumeAvailable();
        boolean ok;
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import skimage.transform, scipy.ndimage").redirectErrorStream(true)
                    .start();
            ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        Prerequisites.require(ok, PYTHON + " with skimage (apt-get install python3-skimage)");
    }

    /** Runs a Python script with arguments; returns its standard output, fails on a non-zero exit. */
    public static String run(String script, String... args) throws IOException, InterruptedException {
        Path tmp = Files.createTempFile("nnunet-test", ".py");
        try {
            Files.writeString(tmp, script);
            String[] cmd = new String[args.length + 2];
            cmd[0] = PYTHON;
            cmd[1] = tmp.toString();
            System.arraycopy(args, 0, cmd, 2, args.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("python failed:\n" + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

package io.github.nnunetfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.testutil.Prerequisites;
import io.github.nnunetfiji.testutil.TestData;

/**
 * Exit codes say whose move it is: 2 for a command used too early (preprocess before plan), 1 for
 * input the user must fix (a file this user may not read), 3 for the machine (a write the file
 * system refuses), each with a message that names the file. The file-system cases run the command
 * line in a child JVM under the real condition: a file size limit ({@code ulimit -f}) that fails
 * writes exactly as a full disk does (an errno message naming no file), and a file of mode 000 that
 * the child may not read (under root, whom mode bits do not stop, the child runs without the
 * capabilities that bypass them).
 */
class ExitCodesTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run inProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs the command line in a fresh JVM, the command prefixed by {@code wrapper} (e.g. a shell that sets a limit). */
    private Run childJvm(List<String> wrapper, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData",
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("child-out.txt");
        Path err = tmp.resolve("child-err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish: " + cmd);
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void preprocessWithoutAPlanIsAUsageErrorThatNamesTheWorkFolder() throws IOException {
        Path work = tmp.resolve("work");
        Run r = inProcess("preprocess", TestData.isbiMini().toString(), "--work", work.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("plans.json not found"), r.err());
        assertTrue(r.err().contains("nnunet plan ") && r.err().contains("--work"), r.err());
        assertTrue(TestData.isEmptyTree(work));
    }

    @Test
    void aWriteTheFileSystemRefusesIsAnIoErrorNamingTheFile() throws Exception {
        Prerequisites.require(new File("/bin/bash").canExecute(), "/bin/bash (for ulimit -f)");
        Path ds = TestData.isbiMini();
        Path work = tmp.resolve("work");
        Run plan = inProcess("plan", ds.toString(), "--work", work.toString());
        assertEquals(0, plan.code(), plan.err());
        // 256 KiB per file: the plan fits, a preprocessed 512 x 512 float image (1 MiB) does not.
        Run r = childJvm(List.of("/bin/bash", "-c", "ulimit -f 256; exec \"$0\" \"$@\""), "preprocess",
                ds.toString(), "--work", work.toString(), "--threads", "1");
        assertEquals(3, r.code(), "an I/O error, not a problem of the input:\n" + r.out() + r.err());
        Path preprocessed = work.resolve("Task100_ISBI2012EM_mini/preprocessed");
        assertTrue(r.err().contains("cannot write " + preprocessed), "the message names the file:\n" + r.err());
        assertTrue(r.err().contains("File too large"), r.err());
        assertFalse(r.out().contains("FAILED") || r.err().contains("FAILED"), "not reported as failed cases:\n" + r.err());
        try (Stream<Path> s = Files.walk(work)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
        }
    }

    @Test
    void aFileThisUserMayNotReadIsReportedAsSuchWithTheRightFix() throws Exception {
        Path ds = TestData.copy(TestData.isbiMini(), tmp.resolve("Task100_ISBI2012EM_mini"));
        Path locked = ds.resolve("imagesTr/isbi_002.nii.gz");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            List<String> unprivileged = unprivileged(locked);
            Path work = tmp.resolve("work");
            Run v = childJvm(unprivileged, "validate", ds.toString(), "--work", work.toString());
            assertEquals(1, v.code(), v.out() + v.err());
            assertTrue(v.err().contains("isbi_002.nii.gz") && v.err().contains("permission denied"), v.err());
            assertTrue(v.err().contains("chmod a+r"), "the fix is about permissions:\n" + v.err());
            assertFalse(v.err().contains("valid NIfTI"), "not called a broken image:\n" + v.err());

            Run f = childJvm(unprivileged, "fingerprint", ds.toString(), "--work", work.toString());
            assertEquals(1, f.code(), f.out() + f.err());
            assertTrue(f.err().contains("isbi_002.nii.gz") && f.err().contains("permission denied")
                    && f.err().contains("chmod a+r"), f.err());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    @Test
    void aFolderThisUserMayNotWriteIsReportedAsAWriteNotARead() throws Exception {
        Path labels = TestData.copy(TestData.isbiMini().resolve("labelsTr"), tmp.resolve("labels"));
        Path rule = tmp.resolve("postprocessing.json");
        io.github.nnunetfiji.postprocess.PostprocessingRule.none().write(rule);
        Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Path probe = tmp.resolve("probe");
            Files.writeString(probe, "x");
            Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
            List<String> unprivileged = unprivileged(probe);
            Path out = readOnly.resolve("out");
            Run r = childJvm(unprivileged, "postprocess", "apply", "-i", labels.toString(), "-o", out.toString(), "--rule",
                    rule.toString());
            assertEquals(3, r.code(), "an I/O error of the output:\n" + r.out() + r.err());
            assertTrue(r.err().contains("cannot write " + out) && r.err().contains("write permission"), r.err());
            assertFalse(r.err().contains("cannot read") || r.err().contains("chmod a+r"), r.err());
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void anOutOfMemoryErrorEndsInOneLineWithTheFix() {
        Run r = failing(() -> new OutOfMemoryError("Java heap space"));
        assertEquals(3, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("out of memory") && r.err().contains("NNUNET_JAVA_OPTS=-Xmx"), r.err());
    }

    @Test
    void aStageThatCannotFitNamesTheFiguresAndBothFixes() {
        Run r = failing(() -> new io.github.nnunetfiji.util.NotEnoughMemoryException(
                "Preprocessing 2d with 4 case(s) at once", 6L << 30, 4L << 30, 2));
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("needs about 6.0 GB of memory, but Java may use 4.0 GB"), r.err());
        assertTrue(r.err().contains("--threads 2") && r.err().contains("NNUNET_JAVA_OPTS=-Xmx8g"), r.err());
    }

    /** The command line running a command that fails with what {@code failure} makes. */
    private static Run failing(java.util.function.Supplier<Throwable> failure) {
        Main main = new Main();
        main.register(new CliCommand() {
            @Override
            public String name() {
                return "fail";
            }

            @Override
            public String summary() {
                return "fails";
            }

            @Override
            public String usage() {
                return "Usage: nnunet fail\n";
            }

            @Override
            public int run(Args args, PrintStream out, PrintStream err) {
                Throwable t = failure.get();
                if (t instanceof Error e) {
                    throw e;
                }
                throw (RuntimeException) t;
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = main.run(List.of("fail"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * A command prefix under which {@code locked} (mode 000) cannot be read: none for an ordinary
     * user; for root, {@code setpriv} dropping the capabilities that bypass file permissions.
     * Checked with {@code head} before use, so the test never passes for the wrong reason.
     */
    private static List<String> unprivileged(Path locked) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> prefix = root
                ? List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all")
                : List.of();
        List<String> probe = new ArrayList<>(prefix);
        probe.addAll(List.of("head", "-c", "1", locked.toString()));
        int code;
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            code = p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            code = 0; // no setpriv
        }
        Prerequisites.require(code != 0, "a way to deny this test's child process reading a mode-000 file ("
                + (root ? "running as root: setpriv from util-linux, allowed to drop CAP_DAC_OVERRIDE" : "?") + ")");
        return prefix;
    }
}

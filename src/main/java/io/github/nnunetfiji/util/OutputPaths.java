package io.github.nnunetfiji.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Outputs never overwrite inputs. Stages that read files and write others check their request here
 * before any work: an output folder that is a folder the stage reads its inputs from (whose files a
 * second run would read as inputs, and whose same-named files it would replace), or an output file
 * that is one of the inputs, is refused with {@link OverwriteRefusedException}.
 *
 * <p>Paths are compared as the file system resolves them (links followed, {@code ..} removed), so
 * {@code ./a/../b} and a link to {@code b} are both {@code b}.
 */
public final class OutputPaths {

    private OutputPaths() {
    }

    /**
     * Refuses an output folder that is one of the input folders, or the folder of an input file.
     *
     * @param output what the stage writes into
     * @param inputs the folders and files it reads
     * @param what   how the surface names the output, for the message ("the output folder")
     */
    public static void refuseInputFolder(Path output, Collection<Path> inputs, String what) {
        Path out = resolved(output);
        for (Path in : inputs) {
            Path folder = Files.isDirectory(in) ? in : in.toAbsolutePath().getParent();
            if (folder != null && resolved(folder).equals(out)) {
                throw new OverwriteRefusedException(what + " " + output + " is " + (Files.isDirectory(in) ? "" : "the folder of ")
                        + "an input (" + in + "): its files would be replaced or read again as inputs; give an"
                        + " empty or new folder");
            }
        }
    }

    /**
     * Refuses an output file that is one of the given input files.
     *
     * @param what how the surface names the output, for the message ("the summary file")
     */
    public static void refuseInputFile(Path output, Collection<Path> inputFiles, String what) {
        Path out = resolved(output);
        for (Path in : inputFiles) {
            if (resolved(in).equals(out)) {
                throw new OverwriteRefusedException(what + " " + output + " is an input (" + in + ") and would be"
                        + " replaced; give another file");
            }
        }
    }

    /**
     * The path as the file system resolves it: its longest existing part with links followed, the
     * rest appended (an output that does not exist yet).
     */
    static Path resolved(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        Path rest = null;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            Path real = existing.toRealPath();
            return rest == null ? real : real.resolve(rest).normalize();
        } catch (IOException e) {
            return abs; // unreadable: compare as written
        }
    }
}

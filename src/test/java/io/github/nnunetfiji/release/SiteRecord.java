package io.github.nnunetfiji.release;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file of an update site as {@code db.xml.gz} lists it ({@code <plugin>}): its current version
 * (absent once the file is withdrawn) and its earlier versions.
 */
public final class SiteRecord {

    /** A released version: {@code <version>}. */
    public record Version(String checksum, long timestamp, long filesize, String description,
            List<Dependency> dependencies, List<String> links, List<String> authors) {
    }

    /** {@code <dependency filename=".." timestamp=".."/>}: needs that file at that version or later. */
    public record Dependency(String filename, long timestamp) {
    }

    /** {@code <previous-version>}: an earlier version, replaced at {@code timestampObsolete}. */
    public record Previous(long timestamp, long timestampObsolete, String checksum, String filename) {
    }

    /** The updater's rule for the version part of a jar name ({@code foo-1.2.3.jar} is {@code foo.jar}). */
    private static final Pattern VERSIONED = Pattern.compile("(.+?)(-\\d+(\\.\\d+)+[a-z]?(-[A-Za-z0-9.]+|\\.GA)*)(\\.jar)");

    public String filename;
    public boolean executable;
    public final List<String> platforms = new ArrayList<>();
    public final List<String> categories = new ArrayList<>();
    public Version current;
    public final List<Previous> previous = new ArrayList<>();

    public SiteRecord(String filename) {
        this.filename = filename;
    }

    /** The name without its version: what the updater treats as "the same file" across versions. */
    public static String unversioned(String filename) {
        Matcher m = VERSIONED.matcher(filename);
        return filename.endsWith(".jar") && m.matches() ? m.group(1) + m.group(5) : filename;
    }

    /** The name of the current version's file on the site: {@code <filename>-<timestamp>}. */
    public String siteFileName() {
        return filename + "-" + current.timestamp();
    }
}

package io.github.nnunetfiji.release;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.util.Json;

/**
 * What the site says about its files (update-site/site.json): per file pattern a description,
 * a platform, categories and the files it depends on; authors and links for every file. The
 * first rule whose {@code match} (a glob on the path inside Fiji) fits a file applies; a file that
 * no rule fits is refused, so nothing is published without a description.
 */
public final class SiteConfig {

    /** One rule. {@code {name}} in a description is replaced by the file's name. */
    public static final class Rule {
        public String match;
        public String description;
        /** Updater platform name (linux64, win64, macos-arm64, linux-arm64); empty: every platform. */
        public String platform;
        public List<String> categories = new ArrayList<>();
        /** Globs of the files this one depends on (other files of the same build). */
        public List<String> dependencies = new ArrayList<>();

        boolean matches(String path) {
            return glob(match).matches(Path.of(path));
        }
    }

    public List<String> authors = new ArrayList<>();
    public List<String> links = new ArrayList<>();
    public List<Rule> files = new ArrayList<>();

    public static SiteConfig read(Path file) throws IOException {
        SiteConfig c = Json.read(file, SiteConfig.class);
        for (Rule r : c.files) {
            if (r.match == null || r.description == null || r.description.isBlank()) {
                throw new IOException(file + ": every entry of \"files\" needs \"match\" and \"description\"");
            }
        }
        return c;
    }

    /** The rule for a path inside Fiji; an error naming the path and the config file if none fits. */
    public Rule ruleFor(String path) {
        for (Rule r : files) {
            if (r.matches(path)) {
                return r;
            }
        }
        throw new IllegalArgumentException("No entry of the update site configuration matches " + path
                + "; add one with its description to update-site/site.json");
    }

    static PathMatcher glob(String pattern) {
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    }
}

package io.github.nnunetfiji.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.github.nnunetfiji.util.AtomicFiles;

/**
 * Builds or updates a Fiji update site folder: {@code db.xml.gz} plus one file per released version,
 * named {@code <path>-<yyyyMMddHHmmss>}. A file whose updater checksum equals the site's current
 * version keeps that version (so rebuilding an unchanged project adds nothing); a changed file
 * becomes a new version and the old one a {@code <previous-version>} (its file stays on the site
 * for older installations); a file no longer built is withdrawn (previous versions only).
 * <p>
 * Run by the Maven profile {@code update-site}: {@code UpdateSiteBuilder --config update-site/site.json
 * --site target/update-site --staging DIR --file jars/x.jar=PATH [--timestamp yyyyMMddHHmmss]}.
 */
public final class UpdateSiteBuilder {

    /** What a build did, one line per file. */
    public record Report(List<String> added, List<String> unchanged, List<String> withdrawn) {
        public String toText() {
            StringBuilder sb = new StringBuilder();
            added.forEach(a -> sb.append("new version  ").append(a).append('\n'));
            unchanged.forEach(a -> sb.append("unchanged    ").append(a).append('\n'));
            withdrawn.forEach(a -> sb.append("withdrawn    ").append(a).append('\n'));
            return sb.toString();
        }
    }

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private UpdateSiteBuilder() {
    }

    /** The current time (UTC) as an updater timestamp. */
    public static long now() {
        return Long.parseLong(LocalDateTime.now(ZoneOffset.UTC).format(TIMESTAMP));
    }

    /** Every regular file below {@code staging}, keyed by its path inside Fiji ({@code /}-separated). */
    public static Map<String, Path> stagedFiles(Path staging) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        if (!Files.isDirectory(staging)) {
            return files;
        }
        try (Stream<Path> s = Files.walk(staging)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(staging.relativize(p).toString().replace('\\', '/'), p);
            }
        }
        return files;
    }

    /**
     * Brings {@code site} up to date with {@code files} (path inside Fiji to the built file); new
     * versions get {@code timestamp}.
     */
    public static Report build(Map<String, Path> files, SiteConfig config, Path site, long timestamp)
            throws IOException {
        Path db = site.resolve(SiteDatabase.FILE);
        Map<String, SiteRecord> records = SiteDatabase.read(db);
        String before = SiteDatabase.toXml(records.values());
        List<String> added = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> withdrawn = new ArrayList<>();
        Map<String, SiteConfig.Rule> rules = new TreeMap<>();
        for (Map.Entry<String, Path> e : new TreeMap<>(files).entrySet()) {
            String path = e.getKey();
            SiteConfig.Rule rule = config.ruleFor(path);
            rules.put(path, rule);
            String key = SiteRecord.unversioned(path);
            SiteRecord rec = records.computeIfAbsent(key, k -> new SiteRecord(path));
            String checksum = UpdaterChecksum.of(path, e.getValue());
            String description = rule.description.replace("{name}", Path.of(path).getFileName().toString());
            List<SiteRecord.Dependency> deps = rec.current == null ? List.of() : rec.current.dependencies();
            if (rec.current != null && rec.current.checksum().equals(checksum) && rec.filename.equals(path)) {
                rec.current = new SiteRecord.Version(checksum, rec.current.timestamp(), rec.current.filesize(),
                        description, deps, config.links, config.authors);
                unchanged.add(path + " " + rec.current.timestamp());
            } else {
                if (rec.current != null) {
                    if (timestamp <= rec.current.timestamp()) {
                        throw new IOException("Timestamp " + timestamp + " is not after the site's current version of "
                                + rec.filename + " (" + rec.current.timestamp() + ")");
                    }
                    rec.previous.add(new SiteRecord.Previous(rec.current.timestamp(), timestamp,
                            rec.current.checksum(), rec.filename));
                }
                rec.filename = path;
                rec.current = new SiteRecord.Version(checksum, timestamp, Files.size(e.getValue()), description, deps,
                        config.links, config.authors);
                copyInto(e.getValue(), site.resolve(rec.siteFileName()));
                added.add(path + " " + timestamp);
            }
            rec.platforms.clear();
            if (rule.platform != null && !rule.platform.isBlank()) {
                rec.platforms.add(rule.platform);
            }
            rec.categories.clear();
            rec.categories.addAll(rule.categories);
        }
        for (SiteRecord rec : records.values()) {
            if (rec.current != null && !files.containsKey(rec.filename)) {
                rec.previous.add(new SiteRecord.Previous(rec.current.timestamp(), timestamp, rec.current.checksum(),
                        rec.filename));
                rec.current = null;
                withdrawn.add(rec.filename);
            }
        }
        // Dependencies last: they name the current version of each file they need.
        for (Map.Entry<String, SiteConfig.Rule> e : rules.entrySet()) {
            SiteRecord rec = records.get(SiteRecord.unversioned(e.getKey()));
            List<SiteRecord.Dependency> deps = new ArrayList<>();
            for (String pattern : e.getValue().dependencies) {
                var matcher = SiteConfig.glob(pattern);
                for (String other : rules.keySet()) {
                    if (!other.equals(e.getKey()) && matcher.matches(Path.of(other))) {
                        deps.add(new SiteRecord.Dependency(other,
                                records.get(SiteRecord.unversioned(other)).current.timestamp()));
                    }
                }
            }
            SiteRecord.Version v = rec.current;
            rec.current = new SiteRecord.Version(v.checksum(), v.timestamp(), v.filesize(), v.description(),
                    List.copyOf(deps), v.links(), v.authors());
        }
        if (!SiteDatabase.toXml(records.values()).equals(before) || !Files.exists(db)) {
            SiteDatabase.write(db, records.values());
        }
        return new Report(added, unchanged, withdrawn);
    }

    private static void copyInto(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Path tmp = Files.createTempFile(to.getParent(), "." + to.getFileName() + ".", ".tmp");
        try {
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.moveIntoPlace(tmp, to);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Command line (Maven profile update-site); throws on bad arguments or a site that fails verification. */
    public static void main(String[] args) throws IOException {
        Path config = null;
        Path site = null;
        Map<String, Path> files = new TreeMap<>();
        long timestamp = now();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            i++;
            switch (a) {
                case "--config" -> config = Path.of(value);
                case "--site" -> site = Path.of(value);
                case "--staging" -> files.putAll(stagedFiles(Path.of(value)));
                case "--file" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--file takes PATH_IN_FIJI=FILE, not " + value);
                    }
                    files.put(value.substring(0, eq), Path.of(value.substring(eq + 1)));
                }
                case "--timestamp" -> timestamp = Long.parseLong(value);
                default -> throw new IllegalArgumentException("Unknown option " + a
                        + "; use --config FILE --site DIR [--staging DIR] [--file PATH=FILE] [--timestamp T]");
            }
        }
        if (config == null || site == null) {
            throw new IllegalArgumentException("--config and --site are required");
        }
        for (Map.Entry<String, Path> f : files.entrySet()) {
            if (!Files.isRegularFile(f.getValue())) {
                throw new IOException("Not a file: " + f.getValue() + " (for " + f.getKey() + ")");
            }
        }
        Report r = build(files, SiteConfig.read(config), site, timestamp);
        System.out.print(r.toText());
        List<String> problems = UpdateSiteVerifier.verify(site);
        if (!problems.isEmpty()) {
            throw new IOException("The update site " + site + " fails verification:\n" + String.join("\n", problems));
        }
        System.out.println("Update site " + site.toAbsolutePath() + ": " + r.added().size() + " new version(s), "
                + r.unchanged().size() + " unchanged, " + r.withdrawn().size() + " withdrawn; verified.");
    }
}

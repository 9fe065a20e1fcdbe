package io.github.nnunetfiji.release;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * Reads an update site back and checks every record against the files: the index validates
 * against its document type, every current version's file {@code <path>-<timestamp>} exists with
 * the recorded size and updater checksum, timestamps are dates, descriptions are there, and every
 * dependency names a current file of the site at its current timestamp.
 */
public final class UpdateSiteVerifier {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private UpdateSiteVerifier() {
    }

    /** Every problem found, each naming the file; empty if the site is sound. */
    public static List<String> verify(Path site) throws IOException {
        List<String> problems = new ArrayList<>();
        Path db = site.resolve(SiteDatabase.FILE);
        if (!Files.isRegularFile(db)) {
            return List.of(db + " is missing");
        }
        byte[] xml;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(db))) {
            xml = in.readAllBytes();
        }
        validateAgainstDtd(xml, problems);
        Map<String, SiteRecord> records = SiteDatabase.parse(xml, db.toString());
        Map<String, Long> current = new HashMap<>();
        records.values().stream().filter(r -> r.current != null)
                .forEach(r -> current.put(r.filename, r.current.timestamp()));
        for (SiteRecord r : records.values()) {
            if (r.current == null) {
                if (r.previous.isEmpty()) {
                    problems.add(r.filename + ": neither a current nor a previous version");
                }
                continue;
            }
            SiteRecord.Version v = r.current;
            checkTimestamp(r.filename, v.timestamp(), problems);
            r.previous.forEach(p -> checkTimestamp(r.filename + " (previous)", p.timestamp(), problems));
            if (v.description() == null || v.description().isBlank()) {
                problems.add(r.filename + ": no description");
            }
            Path file = site.resolve(r.siteFileName());
            if (!Files.isRegularFile(file)) {
                problems.add(r.filename + ": " + file + " is missing");
                continue;
            }
            if (Files.size(file) != v.filesize()) {
                problems.add(r.filename + ": size " + Files.size(file) + " of " + file + ", recorded " + v.filesize());
            }
            String sum = UpdaterChecksum.of(r.filename, file);
            if (!sum.equals(v.checksum())) {
                problems.add(r.filename + ": checksum " + sum + " of " + file + ", recorded " + v.checksum());
            }
            for (SiteRecord.Dependency d : v.dependencies()) {
                Long t = current.get(d.filename());
                if (t == null) {
                    problems.add(r.filename + ": depends on " + d.filename() + ", which the site does not hold");
                } else if (t != d.timestamp()) {
                    problems.add(r.filename + ": depends on " + d.filename() + " at " + d.timestamp()
                            + ", the site's version is " + t);
                }
            }
        }
        return problems;
    }

    private static void checkTimestamp(String what, long t, List<String> problems) {
        try {
            LocalDateTime.parse(Long.toString(t), TIMESTAMP);
        } catch (DateTimeParseException e) {
            problems.add(what + ": timestamp " + t + " is not yyyyMMddHHmmss");
        }
    }

    private static void validateAgainstDtd(byte[] xml, List<String> problems) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setValidating(true);
            var b = f.newDocumentBuilder();
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) {
                    problems.add(SiteDatabase.FILE + " line " + e.getLineNumber() + ": " + e.getMessage());
                }

                @Override
                public void fatalError(SAXParseException e) {
                    error(e);
                }
            });
            b.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            problems.add(SiteDatabase.FILE + " does not parse: " + e.getMessage());
        }
    }
}

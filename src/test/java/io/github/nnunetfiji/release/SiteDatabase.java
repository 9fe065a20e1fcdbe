package io.github.nnunetfiji.release;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import io.github.nnunetfiji.util.AtomicFiles;

/**
 * Reads and writes an update site's {@code db.xml.gz}: {@code <pluginRecords>} with one
 * {@code <plugin>} per file, in the element order and with the document type that Fiji's updater
 * writes and validates against.
 */
public final class SiteDatabase {

    /** The file name of the index on every update site. */
    public static final String FILE = "db.xml.gz";

    /** The updater's document type (its XMLFileWriter), so the file validates as one it wrote. */
    static final String DTD = "<!DOCTYPE pluginRecords [\n"
            + "<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>\n"
            + "<!ELEMENT update-site EMPTY>\n"
            + "<!ELEMENT disabled-update-site EMPTY>\n"
            + "<!ELEMENT plugin (platform*, category*, version?, previous-version*)>\n"
            + "<!ELEMENT version (description?, dependency*, link*, author*)>\n"
            + "<!ELEMENT previous-version EMPTY>\n"
            + "<!ELEMENT description (#PCDATA)>\n"
            + "<!ELEMENT dependency EMPTY>\n"
            + "<!ELEMENT link (#PCDATA)>\n"
            + "<!ELEMENT author (#PCDATA)>\n"
            + "<!ELEMENT platform (#PCDATA)>\n"
            + "<!ELEMENT category (#PCDATA)>\n"
            + "<!ATTLIST update-site name CDATA #REQUIRED>\n"
            + "<!ATTLIST update-site url CDATA #REQUIRED>\n"
            + "<!ATTLIST update-site ssh-host CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site upload-directory CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site description CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site maintainer CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST disabled-update-site name CDATA #REQUIRED>\n"
            + "<!ATTLIST disabled-update-site url CDATA #REQUIRED>\n"
            + "<!ATTLIST disabled-update-site ssh-host CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site upload-directory CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site description CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site maintainer CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST plugin update-site CDATA #IMPLIED>\n"
            + "<!ATTLIST plugin filename CDATA #REQUIRED>\n"
            + "<!ATTLIST plugin executable CDATA #IMPLIED>\n"
            + "<!ATTLIST dependency filename CDATA #REQUIRED>\n"
            + "<!ATTLIST dependency timestamp CDATA #IMPLIED>\n"
            + "<!ATTLIST dependency overrides CDATA #IMPLIED>\n"
            + "<!ATTLIST version timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST version checksum CDATA #REQUIRED>\n"
            + "<!ATTLIST version filesize CDATA #REQUIRED>\n"
            + "<!ATTLIST previous-version filename CDATA #IMPLIED>\n"
            + "<!ATTLIST previous-version timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>\n"
            + "<!ATTLIST previous-version checksum CDATA #REQUIRED>]>\n";

    private SiteDatabase() {
    }

    /** The records of a site's {@code db.xml.gz}, keyed by unversioned file name; empty if there is none. */
    public static Map<String, SiteRecord> read(Path dbXmlGz) throws IOException {
        if (!Files.isRegularFile(dbXmlGz)) {
            return new LinkedHashMap<>();
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dbXmlGz))) {
            return parse(in.readAllBytes(), dbXmlGz.toString());
        }
    }

    /** Parses an uncompressed {@code db.xml}; {@code source} names it in errors. */
    public static Map<String, SiteRecord> parse(byte[] xml, String source) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            DocumentBuilder b = f.newDocumentBuilder();
            doc = b.parse(new InputSource(new ByteArrayInputStream(xml)));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(source + " is not a valid update site index: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!root.getTagName().equals("pluginRecords")) {
            throw new IOException(source + ": root element is <" + root.getTagName() + ">, expected <pluginRecords>");
        }
        Map<String, SiteRecord> records = new LinkedHashMap<>();
        for (Element p : children(root, "plugin")) {
            SiteRecord r = new SiteRecord(p.getAttribute("filename"));
            r.executable = "true".equals(p.getAttribute("executable"));
            children(p, "platform").forEach(e -> r.platforms.add(e.getTextContent()));
            children(p, "category").forEach(e -> r.categories.add(e.getTextContent()));
            for (Element v : children(p, "version")) {
                List<SiteRecord.Dependency> deps = new ArrayList<>();
                for (Element d : children(v, "dependency")) {
                    deps.add(new SiteRecord.Dependency(d.getAttribute("filename"), number(d.getAttribute("timestamp"))));
                }
                List<Element> desc = children(v, "description");
                r.current = new SiteRecord.Version(v.getAttribute("checksum"), number(v.getAttribute("timestamp")),
                        number(v.getAttribute("filesize")), desc.isEmpty() ? null : desc.get(0).getTextContent(), deps,
                        texts(v, "link"), texts(v, "author"));
            }
            for (Element v : children(p, "previous-version")) {
                r.previous.add(new SiteRecord.Previous(number(v.getAttribute("timestamp")),
                        number(v.getAttribute("timestamp-obsolete")), v.getAttribute("checksum"),
                        v.hasAttribute("filename") ? v.getAttribute("filename") : null));
            }
            records.put(SiteRecord.unversioned(r.filename), r);
        }
        return records;
    }

    /** Writes {@code db.xml.gz} atomically. */
    public static void write(Path dbXmlGz, Collection<SiteRecord> records) throws IOException {
        String xml = toXml(records);
        AtomicFiles.write(dbXmlGz, out -> {
            try (Writer w = new OutputStreamWriter(new GZIPOutputStream(out), StandardCharsets.UTF_8)) {
                w.write(xml);
            }
        });
    }

    /** The uncompressed index, formatted as the updater formats it (4-space indent). */
    static String toXml(Collection<SiteRecord> records) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        sb.append(DTD).append("<pluginRecords>\n");
        for (SiteRecord r : records) {
            sb.append("    <plugin filename=\"").append(escape(r.filename)).append('"');
            if (r.executable) {
                sb.append(" executable=\"true\"");
            }
            sb.append(">\n");
            r.platforms.forEach(p -> element(sb, 8, "platform", p));
            r.categories.forEach(c -> element(sb, 8, "category", c));
            SiteRecord.Version v = r.current;
            if (v != null) {
                sb.append("        <version checksum=\"").append(v.checksum()).append("\" timestamp=\"")
                        .append(v.timestamp()).append("\" filesize=\"").append(v.filesize()).append("\">\n");
                if (v.description() != null) {
                    element(sb, 12, "description", v.description());
                }
                for (SiteRecord.Dependency d : v.dependencies()) {
                    sb.append("            <dependency filename=\"").append(escape(d.filename()))
                            .append("\" timestamp=\"").append(d.timestamp()).append("\"/>\n");
                }
                v.links().forEach(l -> element(sb, 12, "link", l));
                v.authors().forEach(a -> element(sb, 12, "author", a));
                sb.append("        </version>\n");
            }
            for (SiteRecord.Previous p : r.previous) {
                sb.append("        <previous-version timestamp=\"").append(p.timestamp())
                        .append("\" timestamp-obsolete=\"").append(p.timestampObsolete()).append("\" checksum=\"")
                        .append(p.checksum()).append('"');
                if (p.filename() != null) {
                    sb.append(" filename=\"").append(escape(p.filename())).append('"');
                }
                sb.append("/>\n");
            }
            sb.append("    </plugin>\n");
        }
        return sb.append("</pluginRecords>\n").toString();
    }

    private static void element(StringBuilder sb, int indent, String tag, String text) {
        sb.append(" ".repeat(indent)).append('<').append(tag).append('>').append(escape(text)).append("</")
                .append(tag).append(">\n");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static long number(String s) {
        return s == null || s.isEmpty() ? 0 : Long.parseLong(s);
    }

    private static List<String> texts(Element parent, String tag) {
        return children(parent, tag).stream().map(Node::getTextContent).toList();
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }
}

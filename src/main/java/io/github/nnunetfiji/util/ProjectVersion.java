package io.github.nnunetfiji.util;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build, as Maven wrote it into the jar. */
public final class ProjectVersion {

    private ProjectVersion() {
    }

    /** The plugin jar's version, or a note that the classes do not come from a jar. */
    public static String get() {
        try (InputStream in = ProjectVersion.class
                .getResourceAsStream("/META-INF/maven/io.github.nnunetfiji/nnunet_fiji/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through: the version is informational
        }
        String v = ProjectVersion.class.getPackage().getImplementationVersion();
        return v != null ? v : "development build (classes not packaged as a jar)";
    }
}

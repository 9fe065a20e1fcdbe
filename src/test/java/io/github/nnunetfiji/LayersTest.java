package io.github.nnunetfiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph, drawn from the sources' imports and fully qualified names (comments and string
 * literals left out), follows the layers of docs/architecture.md: a package uses only packages of
 * lower layers and its own sub-packages (or parent); the engine is below the plan and everything
 * after it; the two surfaces, the command line and Fiji, use neither each other nor are used by
 * anything; ImageJ 1 and SciJava are used only where Fiji is.
 */
class LayersTest {

    private static final String ROOT = "io.github.nnunetfiji.";

    /**
     * The layers, lowest first (numbered from 1 in messages and docs/architecture.md). A package may use the packages of the layers below its own, and
     * packages of its own family (the same first name: io and io.nifti, train and train.data).
     * A new package has to be placed here (and in docs/architecture.md).
     */
    private static final List<Set<String>> LAYERS = List.of(
            Set.of("util", "image"),
            Set.of("io", "io.nifti", "io.tiff", "io.ij", "io.torch", "engine", "engine.tf"),
            Set.of("dataset", "evaluation"),
            Set.of("fingerprint"),
            Set.of("normalization"),
            Set.of("plan"),
            Set.of("preprocess", "postprocess", "inference.models", "inference.reference", "bioimageio"),
            Set.of("inference"),
            Set.of("train", "train.data", "train.augment"),
            Set.of("selection"),
            Set.of("pipeline"),
            Set.of("cluster"),
            Set.of("cli", "fiji"));

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A reference to a class of the project: import, static import or fully qualified name. */
    private static final Pattern PROJECT_REF = Pattern.compile("(?<![\\w.])io\\.github\\.nnunetfiji\\.((?:[a-z]\\w*\\.)*)[A-Z]");
    private static final Pattern IMAGEJ1_REF = Pattern.compile("(?<![\\w.])ij\\.(?:[a-z]\\w*\\.)*[A-Z]");
    private static final Pattern SCIJAVA_REF = Pattern.compile("(?<![\\w.])(?:org\\.scijava|net\\.imagej)\\.(?:[a-z]\\w*\\.)*[A-Z]");

    /** Package (below io.github.nnunetfiji) to the packages it uses, each with the first file that does. */
    private static final Map<String, Map<String, String>> USES = new TreeMap<>();
    private static final Map<String, Set<String>> IMAGEJ1 = new TreeMap<>();
    private static final Map<String, Set<String>> SCIJAVA = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        Path root = Paths.get("src/main/java");
        List<Path> sources;
        try (Stream<Path> s = Files.walk(root)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(sources.size() > 100, "sources not found in " + root.toAbsolutePath());
        for (Path f : sources) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            Matcher pm = PACKAGE.matcher(text);
            assertTrue(pm.find(), f + " has no package declaration");
            assertTrue(pm.group(1).startsWith(ROOT), f + " is outside " + ROOT);
            String from = pm.group(1).substring(ROOT.length());
            String code = codeOnly(text);
            Matcher m = PROJECT_REF.matcher(code);
            while (m.find()) {
                String to = m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1);
                if (!to.equals(from)) {
                    USES.computeIfAbsent(from, k -> new TreeMap<>()).putIfAbsent(to, f.getFileName().toString());
                }
            }
            if (IMAGEJ1_REF.matcher(code).find()) {
                IMAGEJ1.computeIfAbsent(from, k -> new TreeSet<>()).add(f.getFileName().toString());
            }
            if (SCIJAVA_REF.matcher(code).find()) {
                SCIJAVA.computeIfAbsent(from, k -> new TreeSet<>()).add(f.getFileName().toString());
            }
        }
    }

    @Test
    void theEngineIsBelowThePlanAndEverythingAfterIt() {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : USES.entrySet()) {
            if (family(e.getKey()).equals("engine")) {
                for (Map.Entry<String, String> to : e.getValue().entrySet()) {
                    if (Set.of("plan", "pipeline", "train", "inference", "preprocess", "fiji", "cli")
                            .contains(family(to.getKey()))) {
                        bad.add(e.getKey() + " -> " + to.getKey() + " (" + to.getValue() + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), bad, "the engine must know nothing of plans, stages or surfaces");
    }

    @Test
    void theSurfacesUseNeitherEachOtherNorAreUsed() {
        List<String> bad = new ArrayList<>();
        USES.forEach((from, uses) -> uses.forEach((to, file) -> {
            String f = family(to);
            if ((f.equals("cli") || f.equals("fiji")) && !family(from).equals(f)) {
                bad.add(from + " -> " + to + " (" + file + ")");
            }
        }));
        assertEquals(List.of(), bad, "cli and fiji are surfaces over the stages: nothing imports them");
    }

    @Test
    void everyPackageUsesOnlyLowerLayers() {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : USES.entrySet()) {
            String from = e.getKey();
            int layer = layerOf(from);
            for (Map.Entry<String, String> to : e.getValue().entrySet()) {
                boolean sameFamily = family(from).equals(family(to.getKey()));
                if (!sameFamily && layerOf(to.getKey()) >= layer) {
                    bad.add(from + " (layer " + (layer + 1) + ") -> " + to.getKey() + " (layer "
                            + (layerOf(to.getKey()) + 1) + ", " + to.getValue() + ")");
                }
            }
        }
        assertEquals(List.of(), bad, "imports that go up or sideways");
    }

    @Test
    void imageJ1AndSciJavaOnlyWhereFijiIs() {
        assertEquals(Set.of("fiji", "io.ij", "io.tiff"), IMAGEJ1.keySet(), "ImageJ 1 used in " + IMAGEJ1);
        assertEquals(Set.of("fiji"), SCIJAVA.keySet(), "SciJava used in " + SCIJAVA);
    }

    @Test
    void theLayersNameEveryPackage() {
        Set<String> packages = new TreeSet<>(USES.keySet());
        USES.values().forEach(m -> packages.addAll(m.keySet()));
        List<String> unplaced = packages.stream().filter(p -> layerOf(p) < 0).toList();
        assertEquals(List.of(), unplaced, "packages in no layer: add them to LAYERS and docs/architecture.md");
    }

    private static int layerOf(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }

    private static String family(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }

    /** The source without comments, string and character literals (a class name in a string is no dependency). */
    static String codeOnly(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                while (end > 0 && s.charAt(end - 1) == '\\') {
                    end = s.indexOf("\"\"\"", end + 1);
                }
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && s.charAt(i) != c && s.charAt(i) != '\n') {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    @Test
    void commentsAndStringsAreNoDependencies() {
        String code = codeOnly("import a.B; // io.github.nnunetfiji.cli.Main\n/* ij.IJ */ String s = \"ij.IJ\"; char q = '\"';"
                + " String t = \"\"\"\n io.github.nnunetfiji.fiji.X \"\"\"; ij.IJ.log(s);");
        assertTrue(IMAGEJ1_REF.matcher(code).find(), code);
        assertTrue(!PROJECT_REF.matcher(code).find(), code);
        assertTrue(code.contains("import a.B;") && code.contains("char q = '';"), code);
    }
}

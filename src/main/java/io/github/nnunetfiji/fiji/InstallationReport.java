package io.github.nnunetfiji.fiji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.util.ProjectVersion;

/**
 * What is installed and where (nnU-Net About): the plugin's version, where the engine is looked for
 * and whether it starts (device, threads), and the models folder with its models.
 */
public final class InstallationReport {

    /** The facts, each also a line of {@link #toText()}. */
    public record Facts(String version, String engineFolder, String engineSource, boolean engineFound,
            String engine, int processors, long maxMemoryMb, String modelsFolder, List<String> models,
            List<String> modelProblems) {
    }

    private InstallationReport() {
    }

    /** The version of the plugin jar this class came from, or a note that it does not come from one. */
    public static String version() {
        return ProjectVersion.get();
    }

    /**
     * Gathers the facts; with {@code startEngine} the engine is started once to learn its device
     * (a few seconds; the engine stays loaded for later commands).
     */
    public static Facts gather(Properties props, Map<String, String> env, boolean startEngine) throws IOException {
        Optional<Path> folder = EngineLoader.configuredFolder(props, env);
        String source;
        if (notBlank(props.getProperty(EngineLoader.ENGINE_DIR_PROPERTY))) {
            source = "Java property " + EngineLoader.ENGINE_DIR_PROPERTY;
        } else if (notBlank(env.get(EngineLoader.ENGINE_DIR_ENV))) {
            source = "environment variable " + EngineLoader.ENGINE_DIR_ENV;
        } else if (folder.isPresent()) {
            source = "the Fiji installation";
        } else {
            source = "none configured; looked for <Fiji>/" + EngineLoader.FIJI_ENGINE_DIR + ", then the class path";
        }
        boolean found;
        String engine;
        if (folder.isPresent() && !hasJars(folder.get())) {
            found = false;
            engine = "not installed. " + EngineLoader.INSTALL;
        } else if (startEngine) {
            // Without a folder the class path is tried (the command line, tests); loading tells.
            try (Engine e = EngineLoader.load(EngineOptions.defaults())) {
                found = true;
                engine = e.description();
            } catch (IOException | RuntimeException e) {
                found = false;
                engine = "not usable: " + e.getMessage();
            }
        } else {
            found = folder.isPresent();
            engine = found ? "installed (not started)"
                    : "no engine folder (start the engine to try the class path). " + EngineLoader.INSTALL;
        }
        ModelRegistry registry = new ModelRegistry(ModelRegistry.modelsFolder(props, env));
        List<String> models = registry.list().stream()
                .map(m -> m.name() + " (" + m.datasetName() + ", " + String.join(" ", m.configurations()) + ", "
                        + String.join(" ", m.folds()) + ")")
                .toList();
        return new Facts(version(), folder.map(Path::toString).orElse("(none)"), source, found, engine,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                registry.folder().toString(), models, registry.problems());
    }

    public static String toText(Facts f) {
        StringBuilder sb = new StringBuilder();
        sb.append("nnU-Net for Fiji ").append(f.version()).append('\n');
        sb.append("Engine folder: ").append(f.engineFolder()).append(" (").append(f.engineSource()).append(")\n");
        sb.append("Engine: ").append(f.engine()).append('\n');
        sb.append("Processors: ").append(f.processors()).append(", Java heap limit: ").append(f.maxMemoryMb())
                .append(" MB, Java ").append(System.getProperty("java.version")).append(", ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append('\n');
        sb.append("Models folder: ").append(f.modelsFolder()).append('\n');
        if (f.models().isEmpty()) {
            sb.append("Installed models: none (Plugins > nnU-Net > nnU-Net Install Model adds one)\n");
        } else {
            sb.append("Installed models:\n");
            f.models().forEach(m -> sb.append("  ").append(m).append('\n'));
        }
        f.modelProblems().forEach(p -> sb.append("  not a usable model: ").append(p).append('\n'));
        return sb.toString();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static boolean hasJars(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(folder, 3)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".jar"));
        }
    }

}

package io.github.nnunetfiji.inference.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The installed models: one model folder per name in the models folder. The models folder is
 * {@value #MODELS_DIR_PROPERTY} (Java property), else {@value #MODELS_DIR_ENV} (environment), else
 * {@code <Fiji>/models/nnunet} inside a Fiji installation, else {@code ~/.nnunet/models}.
 * Folders that are not complete models are skipped by {@link #list()} and named by
 * {@link #problems()}.
 */
public final class ModelRegistry {

    public static final String MODELS_DIR_PROPERTY = "nnunet.models.dir";
    public static final String MODELS_DIR_ENV = "NNUNET_MODELS_DIR";
    /** The models folder inside a Fiji installation (Fiji keeps models under models/). */
    public static final String FIJI_MODELS_DIR = "models/nnunet";

    private final Path folder;

    public ModelRegistry(Path folder) {
        this.folder = folder;
    }

    /** The registry of this JVM's models folder ({@link #modelsFolder}). */
    public static ModelRegistry standard() {
        return new ModelRegistry(modelsFolder(System.getProperties(), System.getenv()));
    }

    /**
     * Where models are installed: the property, the environment variable, the Fiji installation
     * ({@code imagej.dir}, {@code fiji.dir} or {@code ij.dir}, as the launcher sets them), or the
     * user's home.
     */
    public static Path modelsFolder(Properties properties, Map<String, String> environment) {
        String dir = properties.getProperty(MODELS_DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = environment.get(MODELS_DIR_ENV);
        }
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        for (String key : new String[] {"imagej.dir", "fiji.dir", "ij.dir"}) {
            String app = properties.getProperty(key);
            if (app != null && !app.isBlank() && Files.isDirectory(Path.of(app))) {
                return Path.of(app).resolve(FIJI_MODELS_DIR);
            }
        }
        return Path.of(properties.getProperty("user.home", "."), ".nnunet", "models");
    }

    public Path folder() {
        return folder;
    }

    /** The complete models, sorted by name; empty if the models folder does not exist. */
    public List<InstalledModel> list() throws IOException {
        List<InstalledModel> models = new ArrayList<>();
        for (Path p : candidates()) {
            if (InstalledModel.check(p).isEmpty()) {
                models.add(InstalledModel.read(p.getFileName().toString(), p));
            }
        }
        return models;
    }

    /** The names of the complete models, sorted: the choices of a model menu. */
    public List<String> names() throws IOException {
        return list().stream().map(InstalledModel::name).toList();
    }

    /** The model of that name, if installed and complete. */
    public Optional<InstalledModel> find(String name) throws IOException {
        Path p = folder.resolve(name);
        if (!ModelInstaller.isValidName(name) || InstalledModel.check(p).size() > 0) {
            return Optional.empty();
        }
        return Optional.of(InstalledModel.read(name, p));
    }

    /** Folders in the models folder that are not complete models, each with what it lacks. */
    public List<String> problems() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path p : candidates()) {
            List<String> problems = InstalledModel.check(p);
            if (!problems.isEmpty()) {
                out.add(p.getFileName() + ": " + String.join("; ", problems));
            }
        }
        return out;
    }

    private List<Path> candidates() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            // Names starting with '.' are installations in progress (ModelInstaller).
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted()
                    .toList();
        }
    }
}

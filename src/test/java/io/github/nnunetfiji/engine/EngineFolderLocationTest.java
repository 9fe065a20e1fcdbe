package io.github.nnunetfiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where EngineLoader.load looks for the engine folder, in order. */
class EngineFolderLocationTest {

    @TempDir
    Path fiji;

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void propertyThenEnvironmentThenFijiFolderThenClassPath() throws IOException {
        assertEquals(Optional.empty(), EngineLoader.configuredFolder(props(), Map.of()));
        assertEquals(Optional.empty(),
                EngineLoader.configuredFolder(props("imagej.dir", fiji.toString()), Map.of()));
        Path engine = Files.createDirectory(fiji.resolve(EngineLoader.FIJI_ENGINE_DIR));
        assertEquals(Optional.of(engine),
                EngineLoader.configuredFolder(props("imagej.dir", fiji.toString()), Map.of()));
        assertEquals(Optional.of(engine), EngineLoader.configuredFolder(props("fiji.dir", fiji.toString()), Map.of()));
        assertEquals(Optional.of(Path.of("/env/engine")), EngineLoader.configuredFolder(
                props("imagej.dir", fiji.toString()), Map.of(EngineLoader.ENGINE_DIR_ENV, "/env/engine")));
        assertEquals(Optional.of(Path.of("/prop/engine")), EngineLoader.configuredFolder(
                props(EngineLoader.ENGINE_DIR_PROPERTY, "/prop/engine", "imagej.dir", fiji.toString()),
                Map.of(EngineLoader.ENGINE_DIR_ENV, "/env/engine")));
    }
}

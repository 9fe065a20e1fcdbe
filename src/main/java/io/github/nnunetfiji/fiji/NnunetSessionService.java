package io.github.nnunetfiji.fiji;

import java.util.List;

import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.SciJavaService;
import org.scijava.service.Service;

import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.pipeline.LoadedModels;
import io.github.nnunetfiji.util.HeapWatch;

/**
 * The engine and the trained models loaded in this Fiji session ({@link LoadedModels}), kept
 * between commands: the first nnU-Net Segment Image (or Predict) with a model starts the engine and
 * loads the model; later ones with the same model, on other images, reuse them and take the time of
 * the prediction itself. A model whose files changed since is loaded again; at most
 * {@link LoadedModels#DEFAULT_KEPT} models are kept (the least recently used freed); the models not
 * in use are freed when a collection leaves the Java heap short, and all of them by nnU-Net Free
 * Memory and when the session (the SciJava context) ends. Nothing is loaded until a command needs
 * it (Segment Image's dialog counts: it loads its preselected model while it is open).
 */
@Plugin(type = Service.class)
public class NnunetSessionService extends AbstractService implements SciJavaService {

    @Parameter(required = false)
    private LogService log;

    private LoadedModels models;

    /** The session's loaded models, made on first use. */
    public synchronized LoadedModels models() {
        if (models == null) {
            HeapWatch heap = HeapWatch.tenured(HeapWatch.DEFAULT_FRACTION);
            models = new LoadedModels(LoadedModels.DEFAULT_KEPT, LoadedModels.MemoryCheck.of(heap),
                    EngineLoader::load);
            models.watchMemory(heap, freed -> {
                if (log != null) {
                    FijiLog.of(log).info("nnU-Net: memory is short (" + heap.describe() + "): " + freed.describe());
                }
            });
        }
        return models;
    }

    /** Frees every engine and model (those in use when their command ends). */
    public synchronized LoadedModels.Freed free() {
        return models == null ? new LoadedModels.Freed(List.of(), 0, List.of(), 0) : models.free();
    }

    /** What is loaded and the loads and reuses so far (nothing before the first use). */
    public synchronized LoadedModels.Counts counts() {
        return models == null ? new LoadedModels.Counts(0, 0, 0, 0, List.of(), 0) : models.counts();
    }

    /** The session ends: everything is closed. */
    @Override
    public synchronized void dispose() {
        if (models != null) {
            models.close();
            models = null;
        }
        super.dispose();
    }
}

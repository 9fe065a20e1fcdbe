package io.github.nnunetfiji.engine.tf;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineFactory;
import io.github.nnunetfiji.engine.EngineOptions;

/** Creates {@link TfEngine}s; the name {@link io.github.nnunetfiji.engine.EngineLoader} looks for. */
public final class TfEngineFactory implements EngineFactory {

    static {
        // Before any TensorFlow class: JavaCPP's memory cap and oneDNN are read as its library loads.
        OneDnnSwitch.turnOn();
    }

    @Override
    public Engine create(EngineOptions options) {
        return new TfEngine(options);
    }
}

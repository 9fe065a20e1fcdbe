package io.github.nnunetfiji.engine;

/**
 * Entry point of an engine implementation; found by class name by {@link EngineLoader}, so it
 * needs a public no-argument constructor.
 */
public interface EngineFactory {

    Engine create(EngineOptions options);
}

package io.github.nnunetfiji.pipeline;

import java.nio.file.Path;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.DatasetLoader;

/**
 * A data set loaded once for the stages of one run, with the descriptions of its files
 * ({@link SourceFiles} hashes each file once however many stages ask). The stages' requests name
 * the data set folder; the one-command pipeline hands them this instead, so the data set is read
 * and its files hashed once.
 */
record LoadedDataset(Dataset dataset, SourceFiles sources) {

    static LoadedDataset of(Dataset ds) {
        return new LoadedDataset(ds, SourceFiles.of(ds));
    }

    /** @throws DatasetException if the folder is not a usable data set */
    static LoadedDataset load(Path folder) throws DatasetException {
        return of(DatasetLoader.load(folder));
    }
}

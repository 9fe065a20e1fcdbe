package io.github.nnunetfiji.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded data set: its folder, what {@code dataset.json} declares, and its training cases with
 * their files resolved. Images are read case by case on demand ({@link CaseEntry#readImage()}), so
 * a data set of any size can be held.
 *
 * @param root        the data set folder
 * @param description the parsed {@code dataset.json}
 * @param cases       the training cases, in {@code dataset.json} (or file name) order
 * @param testCases   cases without labels ({@code imagesTs}), possibly empty
 */
public record Dataset(Path root, DatasetDescription description, List<CaseEntry> cases, List<CaseEntry> testCases) {

    public Dataset {
        cases = List.copyOf(cases);
        testCases = List.copyOf(testCases);
    }

    /** The name used for the data set's work folder: the name of its folder. */
    public String id() {
        return root.toAbsolutePath().normalize().getFileName().toString();
    }
}

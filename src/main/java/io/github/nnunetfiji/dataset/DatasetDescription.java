package io.github.nnunetfiji.dataset;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@code dataset.json} declares, in either of its two common forms.
 *
 * <ul>
 *   <li>{@link Form#DECATHLON}: {@code modality} (index to name), {@code labels} (value to name),
 *       {@code training} list of {@code {image, label}} paths; images may be 4D files.</li>
 *   <li>{@link Form#CHANNEL_FILES}: {@code channel_names} (index to name), {@code labels} (name to
 *       value), {@code file_ending}, {@code numTraining}; cases are found as
 *       {@code imagesTr/CASE_XXXX<ending>} (one file per channel) and {@code labelsTr/CASE<ending>}.</li>
 * </ul>
 *
 * @param name         data set name
 * @param form         which form the file used
 * @param channelNames channel names in channel order (e.g. {@code CT}, {@code T2})
 * @param labels       label value to name; contains 0 (background)
 * @param fileEnding   file ending of the images, e.g. {@code .nii.gz}
 * @param numTraining  the declared number of training cases, or -1 if not declared
 */
public record DatasetDescription(String name, Form form, List<String> channelNames, SortedMap<Integer, String> labels,
        String fileEnding, int numTraining) {

    /** The two forms of {@code dataset.json}. */
    public enum Form {
        DECATHLON,
        CHANNEL_FILES
    }

    public DatasetDescription {
        channelNames = List.copyOf(channelNames);
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    /** Number of image channels each case must have. */
    public int channelCount() {
        return channelNames.size();
    }

    /** Label values other than background, ascending. */
    public List<Integer> foregroundLabels() {
        return labels.keySet().stream().filter(v -> v != 0).toList();
    }

    /** True if channel {@code c} is CT (its name says so), which selects CT normalization. */
    public boolean isCT(int c) {
        return channelNames.get(c).trim().equalsIgnoreCase("ct");
    }
}

package io.github.nnunetfiji.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.nnunetfiji.dataset.Problem.Kind;

/**
 * The reference (nnU-Net v2) form of {@code dataset.json}: {@code channel_names} and
 * {@code file_ending}; cases are found by file name, one label {@code labelsTr/id<ending>} and one
 * image {@code imagesTr/id_XXXX<ending>} per channel.
 */
final class ChannelFilesForm {

    private ChannelFilesForm() {
    }

    /** The cases found in labelsTr/ and imagesTr/; problems for missing channel files and stray files. */
    static List<CaseEntry> cases(Path root, DatasetDescription desc, List<Problem> problems) {
        List<CaseEntry> cases = new ArrayList<>();
        Path imagesTr = root.resolve("imagesTr");
        Path labelsTr = root.resolve("labelsTr");
        String ending = desc.fileEnding();
        if (!Files.isDirectory(labelsTr)) {
            problems.add(new Problem(Kind.MISSING_FILE, labelsTr, "labelsTr/ folder is missing",
                    "put one label file per training case, CASE" + ending + ", into labelsTr/"));
            return cases;
        }
        Set<Path> usedImages = new HashSet<>();
        for (Path label : DatasetFiles.filesEndingWith(labelsTr, ending)) {
            String id = DatasetFiles.stripEnding(label.getFileName().toString(), ending);
            List<Path> files = new ArrayList<>();
            for (int c = 0; c < desc.channelCount(); c++) {
                Path p = imagesTr.resolve(DatasetLoader.channelFileName(id, c, ending));
                if (!Files.isRegularFile(p)) {
                    problems.add(new Problem(Kind.MISSING_FILE, p, "channel " + c + " (" + desc.channelNames().get(c)
                            + ") of case " + id + " not found", "add the file, or remove " + label.getFileName() + " from labelsTr/"));
                }
                files.add(p);
            }
            usedImages.addAll(files);
            if (files.stream().allMatch(Files::isRegularFile)) {
                cases.add(new CaseEntry(id, files, label));
            }
        }
        for (Path p : DatasetFiles.imageFilesIn(imagesTr)) {
            if (!usedImages.contains(p)) {
                problems.add(new Problem(Kind.EXTRA_FILE, p, "image file matches no label in labelsTr/ (or its channel number is not in "
                        + "channel_names)", "add the label file, declare the channel, or move the file out of imagesTr/"));
            }
        }
        for (Path p : DatasetFiles.imageFilesIn(labelsTr)) {
            if (!p.getFileName().toString().endsWith(ending)) {
                problems.add(new Problem(Kind.EXTRA_FILE, p, "label file does not end with the declared file_ending " + ending,
                        "convert it to " + ending + " or change file_ending"));
            }
        }
        return cases;
    }
}

package io.github.nnunetfiji.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.io.ImageFileException;
import io.github.nnunetfiji.io.ImageIO;

/**
 * One training (or test) case: its image file(s) and, for training cases, its label file.
 *
 * @param id         case identifier, e.g. {@code BRATS_0001}
 * @param imageFiles one 4D file holding all channels, or one file per channel in channel order
 * @param labelFile  the label map, or null for test cases
 */
public record CaseEntry(String id, List<Path> imageFiles, Path labelFile) {

    public CaseEntry {
        imageFiles = List.copyOf(imageFiles);
    }

    /** Reads all channels of the case. */
    public Image readImage() throws IOException {
        return ImageIO.readChannels(imageFiles);
    }

    /** Reads the label map; fails with a clear message if it is not a one-channel integer map. */
    public LabelImage readLabel() throws IOException {
        if (labelFile == null) {
            throw new IOException("Case " + id + " has no label file (it is a test case)");
        }
        Image img = ImageIO.read(labelFile);
        try {
            return LabelImage.fromImage(img);
        } catch (IllegalArgumentException e) {
            throw new ImageFileException(labelFile, "not a valid label map: " + e.getMessage()
                    + "; a label map is one channel of whole numbers (0 = background)", e);
        }
    }
}

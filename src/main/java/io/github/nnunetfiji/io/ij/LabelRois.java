package io.github.nnunetfiji.io.ij;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ImageProcessor;

/**
 * The outlines of a label image as ImageJ ROIs, as the ROI Manager shows them: one ROI per class
 * and slice where the class is present (ImageJ ROIs are 2D; a class split into several pieces on a
 * slice is one composite ROI, as <em>Edit &gt; Selection &gt; Create Selection</em> makes it). Each
 * is named {@code CLASS-SSSS} (slice number; just {@code CLASS} for a 2D image), carries its slice as
 * position and the class's colour from the label image's lookup table.
 */
public final class LabelRois {

    private LabelRois() {
    }

    /**
     * @param labels     a one-channel 8- or 16-bit label image
     * @param classNames label value to name; values 1.. are outlined, 0 (background) is not
     */
    public static List<Roi> of(ImagePlus labels, SortedMap<Integer, String> classNames) {
        if (labels.getNChannels() != 1 || labels.getNFrames() != 1 || labels.getBitDepth() > 16) {
            throw new IllegalArgumentException("Image '" + labels.getTitle() + "' is not a label image (one channel "
                    + "and frame, 8- or 16-bit)");
        }
        List<Roi> rois = new ArrayList<>();
        int slices = labels.getNSlices();
        ThresholdToSelection outline = new ThresholdToSelection();
        for (int z = 1; z <= slices; z++) {
            ImageProcessor ip = labels.getStack().getProcessor(z).duplicate();
            ip.setLut(labels.getProcessor().getLut());
            for (var e : classNames.entrySet()) {
                int v = e.getKey();
                if (v <= 0 || !contains(ip, v)) {
                    continue;
                }
                ip.setThreshold(v, v, ImageProcessor.NO_LUT_UPDATE);
                Roi roi = outline.convert(ip);
                if (roi == null) {
                    continue;
                }
                roi.setName(slices > 1 ? String.format("%s-%04d", e.getValue(), z) : e.getValue());
                if (slices > 1) {
                    roi.setPosition(z);
                }
                roi.setStrokeColor(new Color(ip.getLut().getRGB(Math.min(v, 255))));
                rois.add(roi);
            }
        }
        return rois;
    }

    private static boolean contains(ImageProcessor ip, int value) {
        for (int i = 0, n = ip.getPixelCount(); i < n; i++) {
            if (ip.get(i) == value) {
                return true;
            }
        }
        return false;
    }
}

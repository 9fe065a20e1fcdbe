package io.github.nnunetfiji.fiji;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.thread.ThreadService;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.measure.Calibration;
import ij.plugin.frame.RoiManager;
import ij.process.LUT;
import ij.process.ShortProcessor;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.io.ij.ImagePlusConverter;
import io.github.nnunetfiji.io.ij.LabelRois;
import io.github.nnunetfiji.pipeline.PrerequisiteException;
import io.github.nnunetfiji.pipeline.SegmentStage;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Progress;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Segment Image: segments an image (the active one by default)
 * with a trained model, chosen from the installed models (or given as a folder), and returns the
 * label image: 8- or 16-bit, a label lookup table, the input's calibration, titled after image and
 * model. Optionally the class outlines go to the ROI Manager and the probabilities come back as a
 * second image. The channels of the image's channel axis are the model's channels in order. The
 * image's calibration is the spacing; an uncalibrated image needs {@code spacing}. The segmentation
 * is {@link SegmentStage}, the in-memory path nnU-Net Predict runs for each file. The engine and model
 * are kept for the Fiji session ({@link NnunetSessionService}): the first run loads them (the status
 * bar says so), later runs with the same model reuse them; nnU-Net Free Memory frees them. Run from a macro in batch mode (always so
 * headless), the label image becomes the macro's current image ({@link MacroImages}). Macro:
 * {@code run("nnU-Net Segment Image", "model=isbi_2d tta=false rois=true");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Segment Image", label = "nnU-Net Segment Image",
        headless = true)
public class SegmentImageCommand extends DynamicNnunetCommand {

    static final String BITS_8 = "8-bit";
    static final String BITS_16 = "16-bit";

    @Parameter(label = "Image", description = "The image to segment; its channels are the model's channels in order")
    private ImagePlus image;

    @Parameter(label = "Model", required = false, persist = false, initializer = "listInstalledModels",
            description = "An installed model (nnU-Net Install Model); a macro may also give a model folder's path")
    private String model = "";

    @Parameter(label = "or model folder", style = "directory", required = false, persist = false,
            description = "A trained model folder (WORK/<data set>/models/<CONFIG>), used instead of the model above")
    private File modelfolder;

    @Parameter(label = "Configuration", required = false, persist = false,
            description = "Only where the model folder holds several configurations, e.g. 3d_fullres")
    private String configuration = "";

    @Parameter(label = "Folds", required = false, persist = false,
            description = "Folds to ensemble, e.g. '0 1 2' or 'all'; empty: every trained fold")
    private String folds = "";

    @Parameter(label = "Pixel size x y z (uncalibrated images)", required = false, persist = false,
            description = "Only for an image without calibration, in the unit the model was trained in, e.g. '0.5 0.5 2'; "
                    + "a calibrated image's own pixel size is used")
    private String spacing = "";

    @Parameter(label = "Mirroring (test-time augmentation)", required = false, persist = false,
            description = "Average over every mirroring: better, about 8x (3D) or 4x (2D) slower")
    private boolean tta = true;

    @Parameter(label = "Postprocessing", required = false, persist = false,
            description = "Apply the model's largest-component postprocessing")
    private boolean postprocess = true;

    @Parameter(label = "Label image", choices = {BITS_8, BITS_16}, required = false, persist = false)
    private String bitdepth = BITS_8;

    @Parameter(label = "Add ROIs to the ROI Manager", required = false, persist = false,
            description = "One ROI per class and slice, named CLASS-SLICE (skipped when running headless)")
    private boolean rois;

    @Parameter(label = "Show probabilities", required = false, persist = false,
            description = "A second image: one float channel per class, 0 to 1")
    private boolean probabilities;

    @Parameter(label = "Threads", min = "1", max = "1024", required = false, persist = false)
    private int threads = Runtime.getRuntime().availableProcessors();

    @Parameter(label = "Labels", type = ItemIO.OUTPUT)
    private ImagePlus labels;

    @Parameter(label = "Probabilities", type = ItemIO.OUTPUT, required = false)
    private ImagePlus probabilitymaps;

    /** The ROIs made (also when the ROI Manager was skipped), for scripts. */
    private List<Roi> classRois = List.of();


    @Parameter(required = false)
    private StatusService status;

    /** The engine and models kept for the session; without it (a bare context) they are loaded per run. */
    @Parameter(required = false)
    private NnunetSessionService session;

    @Parameter(required = false)
    private ThreadService threadService;

    /**
     * Whether the dialog is about to ask for the inputs: Fiji's GUI, no macro (a macro names its
     * model, which need not be the preselected one). Replaced in tests.
     */
    static BooleanSupplier dialogComing = () -> !GraphicsEnvironment.isHeadless() && !IJ.isMacro();

    /** The load started while the dialog is open, or null. */
    Future<?> preloading;

    /**
     * Fills the model choices with the installed models (run before the dialog), and starts loading
     * the preselected one while the user looks at the dialog.
     */
    protected void listInstalledModels() {
        ModelCommandSupport.listInstalledModels(this, log());
        preloadWhileTheDialogIsOpen();
    }

    /**
     * A first segmentation spends seconds starting the engine and loading the model; the dialog
     * gives that time for free. Loads the preselected model (the first choice) into the session's
     * kept models, in the background, where nothing was given beforehand; a run with that model waits
     * for the load or finds it done, a run with another loads its own (the unused one is freed as
     * any kept model). The status bar shows the load; a failure is the run's to report, if chosen.
     */
    private void preloadWhileTheDialogIsOpen() {
        boolean given = (model != null && !model.isBlank()) || modelfolder != null;
        if (session == null || threadService == null || given || !dialogComing.getAsBoolean()) {
            return;
        }
        List<String> choices = getInfo().getMutableInput("model", String.class).getChoices();
        if (choices.isEmpty() || choices.get(0).equals(ModelCommandSupport.NO_MODEL)) {
            return;
        }
        String preselected = choices.get(0);
        SegmentStage stage = new SegmentStage(session.models());
        int loadThreads = threads;
        Progress progress = new CommandProgress(this, status, log());
        preloading = threadService.run(() -> {
            try {
                Path folder = ModelCommandSupport.resolveModel(preselected, null, ModelRegistry.standard());
                stage.preload(folder, null, List.of(), loadThreads, progress);
                if (status != null) {
                    status.showStatus("nnU-Net: " + preselected + " loaded");
                }
            } catch (Exception | LinkageError e) {
                log().debug("nnU-Net: loading " + preselected + " ahead of the run failed: " + e.getMessage());
            }
        });
    }

    @Override
    public void run() {
        started();
        if (image == null || image.getStackSize() == 0 || image.getProcessor() == null) {
            cancel("No image to segment: open one first.");
            return;
        }
        Path folder;
        double[] pixelSize;
        Image in;
        try {
            folder = ModelCommandSupport.resolveModel(model, modelfolder, ModelRegistry.standard());
            pixelSize = spacingOf(image, spacing);
        } catch (IllegalArgumentException | IOException e) {
            cancel(e.getMessage());
            return;
        }
        try {
            // Channels from the image's channel axis, spacing from its calibration or the text given.
            in = ImagePlusConverter.toImage(image);
        } catch (IllegalArgumentException e) {
            cancel("Cannot segment " + image.getTitle() + ": " + e.getMessage());
            return;
        }
        if (pixelSize != null) {
            in = in.withGeometry(in.geometry().withSpacing(pixelSize));
        }
        SegmentStage.Request request = new SegmentStage.Request(in, pixelSize != null, folder,
                ModelCommandSupport.configuration(configuration), ModelCommandSupport.folds(folds),
                PredictionOptions.defaults().withMirror(tta).withThreads(threads).withProbabilities(probabilities),
                postprocess);
        try {
            // The in-memory path nnU-Net Predict runs for every case file.
            SegmentStage.Result res = new SegmentStage(session != null ? session.models() : null).run(request,
                    new CommandProgress(this, status, log()));
            String modelName = res.plans().datasetName() + " " + res.configuration() + " folds "
                    + String.join(",", res.folds());
            Calibration cal = image.getCalibration().copy();
            cal.pixelWidth = pixelSize[0];
            cal.pixelHeight = pixelSize[1];
            cal.pixelDepth = pixelSize[2];
            labels = ImagePlusConverter.toImagePlus(res.labels(), baseTitle(image.getTitle()) + " - nnU-Net " + modelName, null);
            if (BITS_16.equals(bitdepth)) {
                labels = to16Bit(labels);
            }
            labels.setCalibration(cal);
            labels.setLut(labelLut());
            labels.setDisplayRange(0, 255);
            if (probabilities) {
                probabilitymaps = probabilityImage(res.probabilities(), res.plans(), baseTitle(image.getTitle())
                        + " - nnU-Net probabilities " + modelName, cal);
            }
            if (rois) {
                classRois = LabelRois.of(labels, res.plans().labels());
                addToRoiManager(classRois);
            }
            // A macro in batch mode (headless: always) saves or measures its current image next.
            if (MacroImages.show(threadService, probabilitymaps, labels)) {
                // Shown: Fiji's display would add them to the macro's images a second time.
                resolveOutput("labels");
                resolveOutput("probabilitymaps");
            }
            finished("Segmented " + image.getTitle() + " with " + res.modelFolder() + " (folds " + res.folds() + ")");
        } catch (SegmentStage.UncalibratedImageException e) {
            cancel(uncalibrated(image, e.trainedSpacing()));
        } catch (CanceledException e) {
            cancel("Segmentation canceled");
        } catch (IllegalArgumentException e) {
            cancel("Cannot segment " + image.getTitle() + ": " + e.getMessage());
        } catch (PrerequisiteException e) {
            cancel("Segmentation failed: " + e.getMessage());
            log().error(getCancelReason());
        } catch (Exception e) {
            cancel("Segmentation failed: " + e.getMessage());
            log().error(getCancelReason(), e);
        } finally {
            if (status != null) {
                status.clearStatus();
            }
        }
    }

    /** The ROIs of the last run (empty unless {@code rois} was set). */
    public List<Roi> classRois() {
        return classRois;
    }

    /** Image file endings taken off a title, two-part ones before their last part. */
    private static final List<String> IMAGE_ENDINGS = List.of(".nii.gz", ".nii", ".ome.tiff", ".ome.tif", ".tiff", ".tif");

    /**
     * The image's name without its file ending, for the result titles: {@code isbi_003.nii.gz} gives
     * {@code isbi_003} (ImagePlus.getShortTitle() takes off only {@code .gz}, and cuts at the first
     * space). Other endings of one to four letters or digits ({@code .png}) go too; a title without
     * one stays whole.
     */
    static String baseTitle(String title) {
        String t = title == null ? "" : title.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        for (String ending : IMAGE_ENDINGS) {
            if (lower.endsWith(ending) && lower.length() > ending.length()) {
                return t.substring(0, t.length() - ending.length());
            }
        }
        int dot = t.lastIndexOf('.');
        if (dot > 0 && t.length() - dot - 1 <= 4 && t.substring(dot + 1).matches("[A-Za-z0-9]+")) {
            return t.substring(0, dot);
        }
        return t.isEmpty() ? "image" : t;
    }

    /**
     * The pixel size x, y, z: {@code text} if given ("x y" or "x y z", a missing z is 1), else the
     * image's calibration; null if the image has no calibration (ImageJ: pixel size 1 in unit "pixel").
     */
    static double[] spacingOf(ImagePlus imp, String text) {
        if (text != null && !text.isBlank()) {
            String[] parts = text.trim().split("[\\s,x;]+");
            if (parts.length < 2 || parts.length > 3) {
                throw new IllegalArgumentException("Pixel size '" + text + "': give two or three numbers, x y [z], e.g. 0.5 0.5 2");
            }
            double[] sp = {1, 1, 1};
            for (int d = 0; d < parts.length; d++) {
                try {
                    sp[d] = Double.parseDouble(parts[d]);
                } catch (NumberFormatException e) {
                    sp[d] = Double.NaN;
                }
                if (!(sp[d] > 0) || Double.isInfinite(sp[d])) {
                    throw new IllegalArgumentException("Pixel size '" + text + "': '" + parts[d]
                            + "' is not a positive number");
                }
            }
            return sp;
        }
        Calibration cal = imp.getCalibration();
        if (!cal.scaled()) {
            return null;
        }
        return ImagePlusConverter.geometryOf(cal).spacing();
    }

    /** Why an uncalibrated image is refused, with the model's own spacing as a hint. */
    private static String uncalibrated(ImagePlus imp, double[] sp) {
        return "Image '" + imp.getTitle() + "' has no calibration (pixel size), and the model works at a fixed pixel size: "
                + "set it with Image > Properties..., or give spacing=[x y z] in the unit of the model's training data "
                + "(it was trained at " + String.format(Locale.ROOT, "%.4g %.4g %.4g", sp[0], sp[1], sp[2]) + ").";
    }

    private static ImagePlus to16Bit(ImagePlus bytes) {
        ImageStack in = bytes.getStack();
        ImageStack out = new ImageStack(bytes.getWidth(), bytes.getHeight());
        for (int i = 1; i <= in.getSize(); i++) {
            byte[] px = (byte[]) in.getPixels(i);
            short[] s = new short[px.length];
            for (int k = 0; k < px.length; k++) {
                s[k] = (short) (px[k] & 0xff);
            }
            out.addSlice(new ShortProcessor(bytes.getWidth(), bytes.getHeight(), s, null));
        }
        ImagePlus imp = new ImagePlus(bytes.getTitle(), out);
        imp.setDimensions(1, bytes.getNSlices(), 1);
        return imp;
    }

    /** One float channel per class, slice labels naming the classes, shown 0 to 1. */
    private static ImagePlus probabilityImage(Image probs, Plans plans, String title, Calibration cal) {
        ImagePlus imp = ImagePlusConverter.toImagePlus(probs, title, null);
        imp.setCalibration(cal.copy());
        int classes = probs.channelCount();
        for (int z = 1; z <= imp.getNSlices(); z++) {
            for (int c = 1; c <= classes; c++) {
                String name = plans.labels().getOrDefault(c - 1, "class " + (c - 1));
                imp.getStack().setSliceLabel(name, imp.getStackIndex(c, z, 1));
            }
        }
        imp.setDisplayRange(0, 1);
        return imp;
    }

    /**
     * Into the open ROI Manager (opened if need be). Headless there is none (it is a window, which
     * cannot exist there): the ROIs are skipped with a note; {@link #classRois()} still has them.
     */
    private void addToRoiManager(List<Roi> list) {
        if (GraphicsEnvironment.isHeadless()) {
            log().info("Running headless: " + list.size() + " ROI(s) not added to the ROI Manager (it needs a display)");
            return;
        }
        RoiManager rm = RoiManager.getInstance();
        if (rm == null) {
            rm = new RoiManager();
        }
        for (Roi r : list) {
            rm.addRoi(r);
        }
    }

    /** Background black, then well separated colours (golden-angle hues), so label values stay distinct. */
    static LUT labelLut() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int v = 1; v < 256; v++) {
            float hue = (v * 0.618034f) % 1f;
            int rgb = java.awt.Color.HSBtoRGB(hue, 0.85f, v % 2 == 0 ? 0.8f : 1f);
            r[v] = (byte) (rgb >> 16);
            g[v] = (byte) (rgb >> 8);
            b[v] = (byte) rgb;
        }
        return new LUT(r, g, b);
    }

    /** The label image is the result; no text window beside it. */
    @Override
    public String shownOutput() {
        return null;
    }
}

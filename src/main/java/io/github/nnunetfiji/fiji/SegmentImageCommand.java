package io.github.nnunetfiji.fiji;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.app.StatusService;

import ij.ImagePlus;
import ij.process.LUT;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.inference.CasePredictor;
import io.github.nnunetfiji.inference.FolderPrediction;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.io.ij.ImagePlusConverter;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.util.CanceledException;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Segment Image: segments an image (the active one by default)
 * with a trained model and returns the label image: 8-bit, a label lookup table, the input's
 * calibration, titled after image and model. Channels of the image are the model's channels in
 * order. Macro: {@code run("nnU-Net Segment Image", "image=[my.tif] model=[/work/Task/models/3d_fullres] folds=[0 1] tta=true");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Segment Image", label = "nnU-Net Segment Image",
        headless = true)
public class SegmentImageCommand extends NnunetCommand {

    @Parameter(label = "Image", description = "The image to segment; its channels are the model's channels in order")
    private ImagePlus image;

    @Parameter(label = "Model folder", style = "directory", persist = false,
            description = "A trained model: WORK/<data set>/models/<CONFIG>, or the models folder with -c")
    private File model;

    @Parameter(label = "Configuration", required = false, persist = false,
            description = "Only where the model folder holds several configurations, e.g. 3d_fullres")
    private String configuration = "";

    @Parameter(label = "Folds", required = false, persist = false,
            description = "Folds to ensemble, e.g. '0 1 2' or 'all'; empty: every trained fold")
    private String folds = "";

    @Parameter(label = "Mirroring (test-time augmentation)", required = false, persist = false,
            description = "Average over every mirroring: better, about 8x (3D) or 4x (2D) slower")
    private boolean tta = true;

    @Parameter(label = "Postprocessing", required = false, persist = false,
            description = "Apply the model's largest-component postprocessing")
    private boolean postprocess = true;

    @Parameter(label = "Threads", min = "1", max = "1024", required = false, persist = false)
    private int threads = Runtime.getRuntime().availableProcessors();

    @Parameter(label = "Labels", type = ItemIO.OUTPUT)
    private ImagePlus labels;

    @Parameter
    private LogService log;

    @Parameter(required = false)
    private StatusService status;

    @Override
    public void run() {
        started();
        String problem = image == null ? "No image to segment: open one first." : ModelCommandSupport.check(model);
        if (problem != null) {
            cancel(problem);
            return;
        }
        try (Engine engine = ModelCommandSupport.engine(threads);
                TrainedModel m = TrainedModel.load(model.toPath(), ModelCommandSupport.configuration(configuration),
                        ModelCommandSupport.folds(folds), engine)) {
            Image in = ImagePlusConverter.toImage(image);
            CasePredictor p = m.predictor(PredictionOptions.defaults().withMirror(tta).withThreads(threads));
            CasePredictor.Prediction pred = p.predict(in, new CommandProgress(this, status, log));
            if (postprocess) {
                PostprocessingRule rule = FolderPrediction.postprocessingOf(m.folder(), p.classes());
                rule.apply(pred.labelValues(), in.shape(), PostprocessingRule.foregroundClasses(p.classes()));
            }
            String title = image.getShortTitle() + " - nnU-Net " + m.plans().datasetName() + " " + m.configuration()
                    + " folds " + String.join(",", m.folds());
            labels = ImagePlusConverter.toImagePlus(pred.labels(), title, null);
            labels.setCalibration(image.getCalibration().copy());
            labels.setLut(labelLut());
            labels.setDisplayRange(0, 255);
            finished("Segmented " + image.getTitle() + " with " + m.folder() + " (folds " + m.folds() + ")");
        } catch (CanceledException e) {
            cancel("Segmentation canceled");
        } catch (IllegalArgumentException e) {
            cancel("Cannot segment " + image.getTitle() + ": " + e.getMessage());
        } catch (Exception e) {
            cancel("Segmentation failed: " + e.getMessage());
            log.error(getCancelReason(), e);
        } finally {
            if (status != null) {
                status.clearStatus();
            }
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
    protected String shownOutput() {
        return null;
    }
}

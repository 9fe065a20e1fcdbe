package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import io.github.nnunetfiji.bioimageio.BioimageioPackage;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.ProjectVersion;
import io.github.nnunetfiji.util.RequestField;

/**
 * Exports one configuration and one fold of a trained model in the bioimage.io model format
 * (docs/inference.md, "bioimage.io"), for deepImageJ and other bioimage.io tools: a zip with
 * {@code rdf.yaml}, TensorFlow SavedModel weights, test tensors cut from a given image, a cover and
 * documentation. The model is located and checked as {@link PredictStage} does; a cascade's second
 * stage is refused (its second input, the first stage's segmentation, has no place in the format),
 * and so is an existing output file unless {@code replace}.
 */
public final class ExportBioimageioStage implements Stage<ExportBioimageioStage.Request, ExportBioimageioStage.Result> {

    /** The licence written where the request names none: the one bioimage.io suggests for models. */
    public static final String DEFAULT_LICENSE = "CC-BY-4.0";

    private final Engine engine;

    /** Loads the engine for each run and closes it afterwards. */
    public ExportBioimageioStage() {
        this(null);
    }

    /** @param engine the engine to use, left open; null loads one per run */
    public ExportBioimageioStage(Engine engine) {
        this.engine = engine;
    }

    /**
     * @param model         a configuration's model folder or a data set's {@code models} folder
     * @param configuration the configuration, or null where the folder leaves no choice
     * @param fold          the fold whose network is exported; null: fold 0
     * @param testImage     the test image: one file holding every channel, or one file per channel
     * @param output        the zip to write
     * @param replace       whether an existing {@code output} may be replaced
     * @param authors       the model's authors (empty: the user's name)
     * @param license       an SPDX licence identifier (null: {@value #DEFAULT_LICENSE})
     * @param threads       engine threads (0: all cores)
     */
    public record Request(Path model, String configuration, String fold, List<Path> testImage, Path output,
            boolean replace, List<String> authors, String license, int threads) {

        public Request {
            testImage = List.copyOf(testImage);
            authors = List.copyOf(authors);
        }
    }

    /** @param output the zip written; name the model's name in it */
    public record Result(Path output, String name, String configuration, String fold, long[] tileShape,
            String normalization, long bytes) implements StageResult {

        @Override
        public boolean ok() {
            return true;
        }

        @Override
        public String report() {
            long[] spatial = java.util.Arrays.copyOfRange(tileShape, 2, tileShape.length);
            return String.format(Locale.ROOT, "Exported %s (configuration %s, fold %s) in the bioimage.io format: "
                    + "tiles of %s voxels (slowest axis first), %d channel(s), normalization %s%nWrote %s (%.1f MiB)%n",
                    name, configuration, fold, AxisOrder.format(spatial), tileShape[1], normalization, output,
                    bytes / (1024.0 * 1024));
        }
    }

    @Override
    public String name() {
        return "export bioimage.io model";
    }

    @Override
    public Result run(Request r, Progress progress) throws PrerequisiteException, IOException {
        if (r.model() == null || r.output() == null) {
            throw new IllegalArgumentException("Exporting needs a model and an output file");
        }
        if (!r.output().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
            throw new IllegalArgumentException("A bioimage.io model is a zip: the output file's name must end in .zip, "
                    + "got " + r.output());
        }
        if (Files.exists(r.output(), LinkOption.NOFOLLOW_LINKS) && !r.replace()) {
            throw new IllegalArgumentException("Refusing to replace " + r.output() + ": it exists; name another file, "
                    + "remove it, or ask for it to be replaced ('replace')");
        }
        if (r.testImage().isEmpty()) {
            throw new IllegalArgumentException("A bioimage.io model needs a test image: give an image the model was "
                    + "trained for (for example a case of its data set), one file per channel or one with all");
        }
        String fold = r.fold() == null ? "0" : r.fold();
        TrainedModel.Location where = TrainedModels.locate(r.model(), r.configuration(), List.of(fold));
        String previous = where.plans().configuration(where.configuration()).previousStage();
        if (previous != null) {
            throw new PrerequisiteException(Message.of("Configuration ", where.configuration(), " is a cascade's "
                    + "second stage: its network also takes the segmentation of ", previous, ", which the bioimage.io "
                    + "format cannot pass it; export another configuration (", RequestField.CONFIGURATION, ")"));
        }
        Image image = r.testImage().size() == 1 ? ImageIO.read(r.testImage().get(0))
                : ImageIO.readChannels(r.testImage());
        int channels = where.plans().channelNames().size();
        if (image.channelCount() != channels) {
            throw new IllegalArgumentException("The test image " + r.testImage() + " has " + image.channelCount()
                    + " channel(s); the model takes " + channels + " (" + String.join(", ",
                            where.plans().channelNames()) + "): give one file per channel, in that order");
        }
        List<String> authors = r.authors().isEmpty() ? List.of(System.getProperty("user.name", "unknown"))
                : r.authors();
        String license = r.license() == null || r.license().isBlank() ? DEFAULT_LICENSE : r.license();
        String timestamp = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        Path network = where.folder().resolve(TrainedModel.FOLD_PREFIX + fold).resolve(TrainedModel.INFERENCE_MODEL);
        progress.status("Exporting " + where.folder() + " fold " + fold + " for bioimage.io");
        BioimageioPackage.Written w;
        if (engine != null) {
            w = BioimageioPackage.write(engine, network, where.plans(), where.configuration(), fold, image, authors,
                    license, timestamp, ProjectVersion.get(), r.output());
        } else {
            try (Engine loaded = EngineLoader.load(EngineOptions.defaults().withIntraOpThreads(r.threads()))) {
                progress.note("Engine: " + loaded.description());
                w = BioimageioPackage.write(loaded, network, where.plans(), where.configuration(), fold, image,
                        authors, license, timestamp, ProjectVersion.get(), r.output());
            }
        }
        return new Result(w.file(), w.name(), where.configuration(), fold, w.tileShape(), w.normalization(),
                w.bytes());
    }
}

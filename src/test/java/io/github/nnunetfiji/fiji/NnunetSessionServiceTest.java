package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import ij.ImagePlus;
import ij.process.ImageProcessor;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.io.ij.ImagePlusConverter;
import io.github.nnunetfiji.pipeline.LoadedModels;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.testutil.TrainedTestModel;
import io.github.nnunetfiji.util.Progress;

/**
 * The engine and model kept for the Fiji session, through the commands run headless as a user
 * runs them: a second nnU-Net Segment Image on another section reuses the engine and the model
 * (the service's counts), and so does nnU-Net Predict with the same model; nnU-Net Free Memory
 * empties the cache and says what it freed, and the next Segment Image loads again and gives the
 * same labels, pixel for pixel, as the warm one; a model whose files changed is loaded again; and
 * disposing the context closes the engine and the networks.
 */
class NnunetSessionServiceTest {

    @TempDir
    Path tmp;

    private Context context;

    @BeforeEach
    void setUp() throws Exception {
        context = new Context();
        System.setProperty(ModelRegistry.MODELS_DIR_PROPERTY, tmp.resolve("models").toString());
        TestData.copy(TrainedTestModel.folder(), tmp.resolve("models").resolve("isbi_2d"));
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(ModelRegistry.MODELS_DIR_PROPERTY);
        context.dispose();
    }

    private Module run(Context in, Class<? extends org.scijava.command.Command> command, Object... inputs)
            throws Exception {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < inputs.length; i += 2) {
            map.put((String) inputs[i], inputs[i + 1]);
        }
        Module m = in.service(ModuleService.class).run(in.service(CommandService.class).getCommand(command), true, map)
                .get();
        assertFalse(((org.scijava.Cancelable) m).isCanceled(), ((org.scijava.Cancelable) m).getCancelReason());
        assertEquals(Boolean.TRUE, m.getOutput("success"));
        return m;
    }

    /** Segments ISBI section {@code k} with the installed model, without mirroring (quick), on 2 threads. */
    private int[] segment(Context in, int k) throws Exception {
        ImagePlus section = ImagePlusConverter.toImagePlus(ImageIO.read(TestData.isbiMini().resolve(
                "imagesTr/isbi_00" + k + ".nii.gz")), "isbi_00" + k + ".nii.gz", "mm");
        Module m = run(in, SegmentImageCommand.class, "image", section, "model", "isbi_2d", "tta", false, "threads", 2);
        ImagePlus labels = (ImagePlus) m.getOutput("labels");
        ImageProcessor ip = labels.getProcessor();
        int[] v = new int[ip.getPixelCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ip.get(i);
        }
        return v;
    }

    /** What Fiji does before it shows Segment Image's dialog: the module's initializers (the model choices). */
    private SegmentImageCommand dialogOpened(Object... preset) throws Exception {
        Module m = context.service(ModuleService.class)
                .createModule(context.service(CommandService.class).getCommand(SegmentImageCommand.class));
        for (int i = 0; i < preset.length; i += 2) {
            m.setInput((String) preset[i], preset[i + 1]);
        }
        m.initialize();
        return (SegmentImageCommand) m.getDelegateObject();
    }

    @Test
    void thePreselectedModelLoadsWhileTheDialogIsOpen() throws Exception {
        NnunetSessionService session = context.service(NnunetSessionService.class);
        BooleanSupplier before = SegmentImageCommand.dialogComing;
        SegmentImageCommand.dialogComing = () -> true;
        try {
            SegmentImageCommand command = dialogOpened("threads", 2);
            assertNotNull(command.preloading, "a load started with the dialog");
            command.preloading.get();
            LoadedModels.Counts c = session.counts();
            assertEquals(1, c.engineLoads());
            assertEquals(1, c.modelLoads());
            assertEquals(0, c.reuses());
            // OK pressed with the preselected model: the run finds engine and model loaded.
            segment(context, 0);
            c = session.counts();
            assertEquals(1, c.modelLoads(), "no second load");
            assertEquals(1, c.reuses());
        } finally {
            SegmentImageCommand.dialogComing = before;
        }
    }

    @Test
    void nothingLoadsAheadWithoutADialogOrWhenTheModelIsGiven() throws Exception {
        NnunetSessionService session = context.service(NnunetSessionService.class);
        assertNull(dialogOpened().preloading, "headless, or a macro: no dialog, nothing loaded ahead");
        BooleanSupplier before = SegmentImageCommand.dialogComing;
        SegmentImageCommand.dialogComing = () -> true;
        try {
            assertNull(dialogOpened("model", "isbi_2d").preloading, "a script that names its model");
        } finally {
            SegmentImageCommand.dialogComing = before;
        }
        assertEquals(0, session.counts().modelLoads());
        assertEquals(0, session.counts().engineLoads());
    }

    @Test
    void aSecondSegmentImageReusesEngineAndModelUntilFreeMemory() throws Exception {
        NnunetSessionService session = context.service(NnunetSessionService.class);
        assertNotNull(session, "the service is part of every Fiji context");
        assertEquals(0, session.counts().modelLoads(), "nothing is loaded before a command needs it");

        segment(context, 0);
        LoadedModels.Counts c = session.counts();
        assertEquals(1, c.engineLoads());
        assertEquals(1, c.modelLoads());
        assertEquals(0, c.reuses());

        // Another section: the engine and model of the first run.
        int[] warm = segment(context, 1);
        c = session.counts();
        assertEquals(1, c.engineLoads());
        assertEquals(1, c.modelLoads());
        assertEquals(1, c.reuses());
        assertEquals(1, c.models().size());
        assertTrue(c.models().get(0).startsWith("ISBI2012EM_mini 2d folds 0"), c.models().toString());

        // nnU-Net Predict with the same model and threads takes it too.
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(TestData.isbiMini().resolve("imagesTr/isbi_001.nii.gz"), in.resolve("isbi_001_0000.nii.gz"));
        run(context, PredictCommand.class, "input", in.toFile(), "output", tmp.resolve("out").toFile(), "model",
                "isbi_2d", "tta", false, "threads", 2);
        assertEquals(2, session.counts().reuses());
        assertEquals(1, session.counts().modelLoads());

        // Free Memory: the model and engine closed, and said so.
        Module free = run(context, FreeMemoryCommand.class);
        String report = (String) free.getOutput("report");
        assertTrue(report.startsWith("Freed 1 model (ISBI2012EM_mini 2d folds 0"), report);
        assertTrue(report.contains("of weights) and 1 engine"), report);
        assertEquals(1, free.getOutput("modelsfreed"));
        assertEquals(report, free.getOutput("message"));
        assertEquals(List.of(), session.counts().models());
        assertEquals(0, session.counts().engines());
        assertEquals("Nothing to free: no engine or model is loaded",
                run(context, FreeMemoryCommand.class).getOutput("report"));

        // The next Segment Image loads again (a cold load) and gives the warm run's labels, pixel for pixel.
        int[] cold = segment(context, 1);
        assertEquals(2, session.counts().engineLoads());
        assertEquals(2, session.counts().modelLoads());
        assertArrayEquals(cold, warm);
        // As does a fresh session.
        Context fresh = new Context();
        try {
            assertArrayEquals(warm, segment(fresh, 1));
            assertEquals(1, fresh.service(NnunetSessionService.class).counts().modelLoads());
        } finally {
            fresh.dispose();
        }
    }

    @Test
    void aModelWhoseFilesChangedIsLoadedAgain() throws Exception {
        NnunetSessionService session = context.service(NnunetSessionService.class);
        segment(context, 0);
        Path net;
        try (var files = Files.list(tmp.resolve("models/isbi_2d/fold_0/inference_model"))) {
            net = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(net, FileTime.fromMillis(Files.getLastModifiedTime(net).toMillis() + 5000));
        segment(context, 1);
        assertEquals(2, session.counts().modelLoads());
        assertEquals(1, session.counts().reloads());
        assertEquals(0, session.counts().reuses());
        assertEquals(1, session.counts().engineLoads(), "the engine is kept");
        assertEquals(1, session.counts().models().size(), "the stale model is gone");
    }

    @Test
    void disposingTheContextClosesEngineAndModels() throws Exception {
        Context own = new Context();
        LoadedModels kept;
        InferenceModel network;
        try {
            segment(own, 0);
            kept = own.service(NnunetSessionService.class).models();
            // The model the command loaded, as the next run gets it.
            EngineOptions eo = EngineOptions.defaults().withIntraOpThreads(2);
            try (LoadedModels.Lease lease = kept.acquire(TrainedModel.locate(tmp.resolve("models/isbi_2d"), null,
                    List.of()), eo, Progress.NONE)) {
                assertTrue(lease.reused());
                network = lease.model().networks().get(0);
                assertSame(network, lease.model().networks().get(0));
            }
        } finally {
            own.dispose();
        }
        assertEquals(List.of(), kept.counts().models());
        assertEquals(0, kept.counts().engines());
        // Closed: a closed network refuses before it reads its input.
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> network.predict(null));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertThrows(IllegalStateException.class, () -> kept.acquire(TrainedModel.locate(tmp.resolve("models/isbi_2d"),
                null, List.of()), EngineOptions.defaults(), Progress.NONE));
    }

    @Test
    void freeMemoryRunsHeadlessWithNothingLoaded() throws Exception {
        CommandModule m = context.service(CommandService.class).run(FreeMemoryCommand.class, true).get();
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertEquals("Nothing to free: no engine or model is loaded", m.getOutput("report"));
        assertEquals(0, m.getOutput("modelsfreed"));
        assertEquals("true", System.getProperty(NnunetCommand.SUCCESS_PROPERTY));
    }
}

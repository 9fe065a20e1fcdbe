package io.github.nnunetfiji.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import ij.ImagePlus;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.fiji.FreeMemoryCommand;
import io.github.nnunetfiji.fiji.NnunetSessionService;
import io.github.nnunetfiji.fiji.SegmentImageCommand;
import io.github.nnunetfiji.inference.ModelFolders;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.io.ij.ImagePlusConverter;
import io.github.nnunetfiji.pipeline.LoadedModels;
import io.github.nnunetfiji.pipeline.PlanStage;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.testutil.TrainedTestModel;
import io.github.nnunetfiji.util.MemoryBudget;
import io.github.nnunetfiji.util.Progress;

/**
 * Cold and warm nnU-Net Segment Image in one Fiji session (a SciJava context, headless, through
 * CommandService as Fiji runs it): 512x512 sections of the bundled ISBI cases segmented with
 * mirroring, timed from the command's start to its labels. The first call starts the engine in a
 * fresh JVM and loads the model; then, interleaved for {@code ROUNDS} rounds, a call that reuses
 * them and a call after nnU-Net Free Memory, which loads them again in the warm JVM (what every call
 * paid before the session kept them). Prints each call, the medians and the processor.
 *
 * <p>Two steps, two JVMs, so that the timed one starts cold: {@code prepare test DIR} trains the test
 * model into {@code DIR/2d} ({@code prepare planned DIR}: the paper planner's 2D network for these
 * cases instead, untrained, for a network of the size users train); {@code measure DIR THREADS
 * [ROUNDS]} times the calls.
 */
public final class WarmSegmentBenchmark {

    private WarmSegmentBenchmark() {
    }

    public static void main(String[] a) throws Exception {
        if (a[0].equals("prepare")) {
            Path dir = Path.of(a[2]);
            if (!Files.isRegularFile(dir.resolve("2d").resolve("plans.json"))) {
                if (a[1].equals("test")) {
                    TestData.copy(TrainedTestModel.folder(), dir.resolve("2d"));
                } else {
                    planned(dir);
                }
            }
            System.out.println(a[1] + " model in " + dir.resolve("2d"));
            return;
        }
        Path dir = Path.of(a[1]).resolve("2d");
        int threads = Integer.parseInt(a[2]);
        PlanConfiguration c2 = Plans.read(dir.resolve("plans.json")).configuration("2d");
        System.out.println("Model " + dir + ": 2D, patch " + AxisOrder.format(c2.patchSize()) + ", features "
                + Arrays.toString(c2.featuresPerStage()) + ", " + MemoryBudget.format(Files.size(dir.resolve(
                "fold_0/inference_model/graph.pb"))) + " network file");
        int rounds = a.length > 3 ? Integer.parseInt(a[3]) : 4;
        Context context = new Context();
        try {
            NnunetSessionService session = context.service(NnunetSessionService.class);
            double cold = segment(context, session, dir, 0, threads, "cold (engine start and model load, fresh JVM)");
            List<Double> reused = new ArrayList<>();
            List<Double> loaded = new ArrayList<>();
            int k = 1;
            for (int r = 0; r < rounds; r++) {
                // Interleaved, so that other work on the machine slows both kinds alike.
                reused.add(segment(context, session, dir, k++ % 5, threads, "reused"));
                Module f = context.service(CommandService.class).run(FreeMemoryCommand.class, true).get();
                System.out.println("  nnU-Net Free Memory: " + f.getOutput("report"));
                loaded.add(segment(context, session, dir, k++ % 5, threads,
                        "after Free Memory: engine and model loaded again (warm JVM)"));
            }
            System.out.printf(Locale.ROOT, "Summary, %d threads, mirroring on: cold %.2f s; reused: median %.2f s (%s); "
                    + "loaded again: median %.2f s (%s); loading again costs %.2f s (difference of medians)%n", threads,
                    cold, median(reused), list(reused), median(loaded), list(loaded), median(loaded) - median(reused));
            System.out.println("processor: " + InferenceBenchmark.processor() + "; Java heap max "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB");
        } finally {
            context.dispose();
        }
    }

    /** One Segment Image of section {@code k} with mirroring; its seconds. */
    private static double segment(Context context, NnunetSessionService session, Path model, int k, int threads,
            String what) throws Exception {
        ImagePlus section = ImagePlusConverter.toImagePlus(ImageIO.read(TestData.isbiMini().resolve(
                "imagesTr/isbi_00" + k + ".nii.gz")), "isbi_00" + k + ".nii.gz", "mm");
        long start = System.nanoTime();
        Module m = context.service(ModuleService.class).run(context.service(CommandService.class)
                .getCommand(SegmentImageCommand.class), true, "image", section, "modelfolder", model.toFile(),
                "tta", true, "threads", threads).get();
        double s = (System.nanoTime() - start) / 1e9;
        if (!Boolean.TRUE.equals(m.getOutput("success"))) {
            throw new IllegalStateException("Segment Image failed: " + m.getOutput("message"));
        }
        LoadedModels.Counts c = session.counts();
        System.out.printf(Locale.ROOT, "isbi_00%d 512x512: %.2f s  %s  [engine loads %d, model loads %d, reuses %d]%n",
                k, s, what, c.engineLoads(), c.modelLoads(), c.reuses());
        return s;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String list(List<Double> v) {
        return String.join(", ", v.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
    }

    /** The paper planner's 2D network for the ISBI cases, untrained (speed does not depend on the weights). */
    private static void planned(Path dir) throws Exception {
        Path work = Files.createTempDirectory("nnunet-warm-plan");
        Dataset ds = DatasetLoader.load(TestData.isbiMini());
        Plans plans = new PlanStage().run(new PlanStage.Request(ds.root(), new WorkFolder(work), Planners.create("paper"),
                PlanOverrides.parse(List.of()), 2, false), Progress.NONE).plans();
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(2))) {
            ModelFolders.write(dir, plans, "2d", engine, "0");
        }
    }
}

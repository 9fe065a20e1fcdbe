package io.github.nnunetfiji.bench;

import java.nio.file.Path;
import java.util.Locale;

import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import ij.ImagePlus;

import io.github.nnunetfiji.fiji.SegmentImageCommand;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.io.ij.ImagePlusConverter;

/**
 * bench/reference-model.sh's Fiji side: segments one image with an installed model through nnU-Net
 * Segment Image, run headless by SciJava's CommandService as Fiji runs it (mirroring and the
 * model's postprocessing on), twice in one session: the first call starts the engine and loads the
 * model, the second reuses them. Writes the second call's labels (the same as the first's) and
 * prints both times.
 * Usage: ReferenceModelSegment MODEL_FOLDER IMAGE OUT_LABELS THREADS
 */
public final class ReferenceModelSegment {

    private ReferenceModelSegment() {
    }

    public static void main(String[] a) throws Exception {
        Path model = Path.of(a[0]);
        Path image = Path.of(a[1]);
        Path out = Path.of(a[2]);
        int threads = Integer.parseInt(a[3]);
        Context context = new Context();
        try {
            ImagePlus labels = null;
            for (String what : new String[] {"cold (engine start and model load)", "warm (engine and model reused)"}) {
                ImagePlus section = ImagePlusConverter.toImagePlus(ImageIO.read(image), image.getFileName().toString(),
                        "mm");
                long start = System.nanoTime();
                Module m = context.service(ModuleService.class).run(context.service(CommandService.class)
                        .getCommand(SegmentImageCommand.class), true, "image", section, "modelfolder", model.toFile(),
                        "tta", true, "postprocess", true, "threads", threads).get();
                double s = (System.nanoTime() - start) / 1e9;
                if (!Boolean.TRUE.equals(m.getOutput("success"))) {
                    throw new IllegalStateException("Segment Image failed: " + m.getOutput("message"));
                }
                labels = (ImagePlus) m.getOutput("labels");
                System.out.printf(Locale.ROOT, "java_seconds_%s=%.2f%n", what.startsWith("cold") ? "cold" : "warm", s);
            }
            ImageIO.write(ImagePlusConverter.toImage(labels), out);
        } finally {
            context.dispose();
        }
    }
}

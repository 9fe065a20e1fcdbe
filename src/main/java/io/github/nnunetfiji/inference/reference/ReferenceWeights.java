package io.github.nnunetfiji.inference.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.github.nnunetfiji.engine.CheckpointFile;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.io.torch.TorchTensor;

/**
 * The reference's PlainConvUNet state dict as the engine's parameters (docs/inference.md, "Models
 * trained by the reference implementation"). Names: encoder stage s, block b
 * ({@code encoder.stages.s.0.convs.b.conv.weight}, {@code ...norm.weight}, {@code ...norm.bias}) to
 * {@code encS.B.conv.w}, {@code .norm.gamma}, {@code .norm.beta} (B = a, b, ...); decoder stage k,
 * which works at encoder stage {@code stages - 2 - k}, to {@code decS...}; its transposed
 * convolution {@code decoder.transpconvs.k} to {@code upS.w} and {@code upS.b}; the last
 * segmentation layer to {@code head0.w}, {@code head0.b}. Layout: PyTorch's {@code [out, in, k...]}
 * (transposed: {@code [in, out, k...]}) to the engine's {@code [k..., in, out]} (transposed:
 * {@code [k..., out, in]}), spatial axes in the same order (z, y, x).
 *
 * <p>Left out on purpose: the biases of convolutions before an instance normalization (it subtracts
 * them again), the deep-supervision segmentation layers (inference uses the full-resolution one),
 * and the copies the reference's modules hold of the same tensors ({@code all_modules},
 * {@code decoder.encoder}). Any other name, a missing one or a shape that differs is refused, named.
 */
public final class ReferenceWeights {

    private ReferenceWeights() {
    }

    /** The engine's parameters for {@code spec} (from {@link ReferenceArchitecture}) from {@code stateDict}. */
    public static Map<String, CheckpointFile.Array> map(NetworkSpec spec, Map<String, TorchTensor> stateDict,
            String where) {
        Map<String, TorchTensor> sd = new LinkedHashMap<>();
        for (Map.Entry<String, TorchTensor> e : stateDict.entrySet()) {
            sd.put(withoutWrapper(e.getKey()), e.getValue());
        }
        Mapping m = new Mapping(spec, sd, where);
        int stages = spec.stages();
        long in = spec.inputChannels();
        for (int s = 0; s < stages; s++) {
            m.blocks("encoder.stages." + s + ".0.convs.", "enc" + s, in, spec.features(s), spec.kernelSize(s));
            in = spec.features(s);
        }
        for (int k = 0; k < stages - 1; k++) {
            int s = stages - 2 - k;
            int[] stride = spec.poolStride(s);
            m.take("decoder.transpconvs." + k + ".weight", "up" + s + ".w",
                    shape(spec.features(s + 1), spec.features(s), stride));
            m.take("decoder.transpconvs." + k + ".bias", "up" + s + ".b", new long[] {spec.features(s)});
            m.blocks("decoder.stages." + k + ".convs.", "dec" + s, 2L * spec.features(s), spec.features(s),
                    spec.kernelSize(s));
        }
        int[] one = new int[spec.dims()];
        Arrays.fill(one, 1);
        String seg = "decoder.seg_layers." + (stages - 2) + ".";
        m.take(seg + "weight", "head0.w", shape(spec.classes(), spec.features(0), one));
        m.take(seg + "bias", "head0.b", new long[] {spec.classes()});
        return m.finish();
    }

    /** A model trained with DistributedDataParallel or torch.compile keeps its names under a prefix. */
    private static String withoutWrapper(String key) {
        for (String prefix : List.of("module.", "_orig_mod.")) {
            if (key.startsWith(prefix)) {
                return key.substring(prefix.length());
            }
        }
        return key;
    }

    /** PyTorch's weight shape {@code [a, b, k...]} with k in the reference's order (z, y, x). */
    private static long[] shape(long a, long b, int[] perAxisXyz) {
        long[] r = new long[perAxisXyz.length + 2];
        r[0] = a;
        r[1] = b;
        for (int i = 0; i < perAxisXyz.length; i++) {
            r[2 + i] = perAxisXyz[perAxisXyz.length - 1 - i];
        }
        return r;
    }

    /** The names taken so far and the engine arrays made from them. */
    private static final class Mapping {
        private final NetworkSpec spec;
        private final Map<String, TorchTensor> sd;
        private final String where;
        private final Map<String, CheckpointFile.Array> out = new LinkedHashMap<>();
        private final TreeSet<String> used = new TreeSet<>();
        private final List<String> missing = new ArrayList<>();

        Mapping(NetworkSpec spec, Map<String, TorchTensor> sd, String where) {
            this.spec = spec;
            this.sd = sd;
            this.where = where;
        }

        void blocks(String prefix, String engine, long in, long out, int[] kernel) {
            for (int b = 0; b < spec.convolutionsPerStage(); b++) {
                String p = prefix + b + ".";
                String e = engine + "." + (char) ('a' + b);
                take(p + "conv.weight", e + ".conv.w", shape(out, b == 0 ? in : out, kernel));
                used.add(p + "conv.bias"); // cancelled by the normalization that follows
                take(p + "norm.weight", e + ".norm.gamma", new long[] {out});
                take(p + "norm.bias", e + ".norm.beta", new long[] {out});
            }
        }

        void take(String key, String engineName, long[] torchShape) {
            TorchTensor t = sd.get(key);
            used.add(key);
            if (t == null) {
                missing.add(key);
                return;
            }
            if (!Arrays.equals(t.shape(), torchShape)) {
                throw new ReferenceModelException("The reference model " + where + " does not fit its plans: "
                        + key + " has the shape " + Arrays.toString(t.shape()) + ", the plans' network needs "
                        + Arrays.toString(torchShape) + ". Use the plans.json the model was trained with.");
            }
            out.put(engineName, toEngineLayout(t.values(), torchShape));
        }

        Map<String, CheckpointFile.Array> finish() {
            if (!missing.isEmpty()) {
                throw new ReferenceModelException("The reference model " + where + " lacks " + missing.size()
                        + " weights of the network its plans describe, first " + missing.get(0)
                        + ". Use the plans.json the model was trained with (a PlainConvUNet's checkpoint).");
            }
            List<String> unknown = new ArrayList<>();
            for (String key : sd.keySet()) {
                if (!used.contains(key) && !copyOrDeepSupervision(key)) {
                    unknown.add(key);
                }
            }
            if (!unknown.isEmpty()) {
                throw new ReferenceModelException("The reference model " + where + " holds " + unknown.size()
                        + " weights the engine's U-Net has no place for, first " + unknown.get(0) + " ("
                        + String.join(", ", unknown.subList(0, Math.min(5, unknown.size())))
                        + "): it is not the plain U-Net of its plans (another network class, batch normalization, "
                        + "max pooling?), and importing it would drop part of the network.");
            }
            return out;
        }

        private boolean copyOrDeepSupervision(String key) {
            return key.contains(".all_modules.") || key.startsWith("decoder.encoder.")
                    || key.startsWith("decoder.seg_layers.") && !used.contains(key) && key.matches(
                            "decoder\\.seg_layers\\.\\d+\\.(weight|bias)");
        }
    }

    /** {@code [a, b, k...]} to {@code [k..., b, a]}: the engine's filter layout for both kinds. */
    static CheckpointFile.Array toEngineLayout(float[] v, long[] torchShape) {
        int d = torchShape.length - 2;
        if (d < 0) {
            return new CheckpointFile.Array(torchShape.clone(), v.clone()); // a bias or a normalization's vector
        }
        int a = (int) torchShape[0];
        int b = (int) torchShape[1];
        int taps = v.length / Math.max(1, a * b);
        long[] shape = new long[d + 2];
        for (int i = 0; i < d; i++) {
            shape[i] = torchShape[2 + i];
        }
        shape[d] = b;
        shape[d + 1] = a;
        float[] r = new float[v.length];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                for (int t = 0; t < taps; t++) {
                    r[(t * b + j) * a + i] = v[(i * b + j) * taps + t];
                }
            }
        }
        return new CheckpointFile.Array(shape, r);
    }
}

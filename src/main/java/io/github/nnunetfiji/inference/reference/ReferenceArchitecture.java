package io.github.nnunetfiji.inference.reference;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.nnunetfiji.engine.NetworkSpec;

/**
 * The U-Net a configuration of the reference's plans.json describes, as this project's
 * {@link NetworkSpec}: only the reference's PlainConvUNet with instance normalization (affine, eps
 * 1e-5), leaky ReLU 0.01, strided-convolution downsampling and as many convolutions per stage in the
 * decoder as in the encoder maps; anything else is refused, naming the setting. Reads both forms of
 * the reference's plans: {@code architecture} (network class and {@code arch_kwargs}) and the older
 * fields ({@code UNet_class_name}, {@code conv_kernel_sizes}, {@code pool_op_kernel_sizes} ...).
 * Per-axis lists are in the reference's array order (z, y, x; 2D: y, x), the spec's in x, y, z.
 */
public final class ReferenceArchitecture {

    /** The reference's per-axis lists, its order; what the weights' shapes are checked against. */
    record Layers(int dims, int[] features, int[][] kernels, int[][] strides, int convsPerStage) {
    }

    private ReferenceArchitecture() {
    }

    /**
     * The spec of {@code configuration} (a configuration object of plans.json) with the input channels
     * and classes given; {@code where} names the file in errors.
     */
    public static NetworkSpec spec(JsonObject configuration, int inputChannels, int classes, String where) {
        return toSpec(layers(configuration, where), inputChannels, classes);
    }

    static NetworkSpec toSpec(Layers l, int inputChannels, int classes) {
        int stages = l.features().length;
        int[][] kernels = new int[stages][];
        int[][] strides = new int[stages - 1][];
        for (int s = 0; s < stages; s++) {
            kernels[s] = reversed(l.kernels()[s]);
            if (s > 0) {
                strides[s - 1] = reversed(l.strides()[s]);
            }
        }
        return NetworkSpec.builder().dims(l.dims()).inputChannels(inputChannels).classes(classes)
                .features(l.features()).kernelSizes(kernels).poolStrides(strides)
                .downsampling(NetworkSpec.Downsampling.STRIDED_CONV).convolutionsPerStage(l.convsPerStage())
                .deepSupervision(false).referenceLayers(true).build().validate();
    }

    static Layers layers(JsonObject c, String where) {
        if (c.has("architecture")) {
            JsonObject a = c.getAsJsonObject("architecture");
            requireClass(text(a, "network_class_name", where), where);
            return fromKwargs(a.getAsJsonObject("arch_kwargs"), where);
        }
        if (c.has("UNet_class_name")) {
            requireClass(text(c, "UNet_class_name", where), where);
            int[][] kernels = matrix(c, "conv_kernel_sizes", where);
            int[][] strides = matrix(c, "pool_op_kernel_sizes", where);
            int base = integer(c, "UNet_base_num_features", where);
            int max = integer(c, "unet_max_num_features", where);
            int[] features = new int[kernels.length];
            for (int s = 0; s < features.length; s++) {
                features[s] = (int) Math.min(max, (long) base << s);
            }
            int dims = kernels[0].length;
            return checked(new Layers(dims, features, kernels, strides,
                    convs(c, "n_conv_per_stage_encoder", "n_conv_per_stage_decoder", features.length, where)), where);
        }
        throw refuse(where, "its configuration has neither 'architecture' nor 'UNet_class_name': it is no plans.json "
                + "configuration of the reference implementation (nnU-Net v2)");
    }

    private static Layers fromKwargs(JsonObject k, String where) {
        if (k == null) {
            throw refuse(where, "its architecture has no arch_kwargs");
        }
        int[] features = vector(k, "features_per_stage", where);
        int[][] kernels = matrix(k, "kernel_sizes", where);
        int[][] strides = matrix(k, "strides", where);
        int dims = kernels.length > 0 ? kernels[0].length : 0;
        expect(k, "conv_op", "torch.nn.modules.conv.Conv" + dims + "d", where);
        expect(k, "norm_op", "torch.nn.modules.instancenorm.InstanceNorm" + dims + "d", where);
        JsonObject norm = k.has("norm_op_kwargs") && k.get("norm_op_kwargs").isJsonObject()
                ? k.getAsJsonObject("norm_op_kwargs") : new JsonObject();
        if (!norm.has("affine") || !norm.get("affine").getAsBoolean()) {
            throw refuse(where, "its instance normalization has no learned scale and shift (norm_op_kwargs affine "
                    + "is not true); the engine's normalization always has them");
        }
        if (norm.has("eps") && Math.abs(norm.get("eps").getAsDouble() - 1e-5) > 1e-12) {
            throw refuse(where, "its instance normalization has eps " + norm.get("eps") + "; the engine's is 1e-5");
        }
        if (k.has("dropout_op") && !k.get("dropout_op").isJsonNull()) {
            throw refuse(where, "it uses dropout (" + k.get("dropout_op") + "), which the engine's U-Net has not");
        }
        expect(k, "nonlin", "torch.nn.LeakyReLU", where);
        JsonObject act = k.has("nonlin_kwargs") && k.get("nonlin_kwargs").isJsonObject()
                ? k.getAsJsonObject("nonlin_kwargs") : new JsonObject();
        if (act.has("negative_slope") && Math.abs(act.get("negative_slope").getAsDouble() - 0.01) > 1e-12) {
            throw refuse(where, "its leaky ReLU has the slope " + act.get("negative_slope") + "; the engine's is 0.01");
        }
        if (k.has("nonlin_first") && k.get("nonlin_first").getAsBoolean()) {
            throw refuse(where, "it activates before normalizing (nonlin_first); the engine normalizes first");
        }
        if (k.has("n_stages") && k.get("n_stages").getAsInt() != features.length) {
            throw refuse(where, "n_stages " + k.get("n_stages") + " differs from its " + features.length + " features");
        }
        return checked(new Layers(dims, features, kernels, strides,
                convs(k, "n_conv_per_stage", "n_conv_per_stage_decoder", features.length, where)), where);
    }

    private static Layers checked(Layers l, String where) {
        int n = l.features().length;
        if (l.dims() != 2 && l.dims() != 3 || l.kernels().length != n || l.strides().length != n) {
            throw refuse(where, "its kernels and strides do not give one entry of 2 or 3 axes per stage (" + n
                    + " stages)");
        }
        for (int s = 0; s < n; s++) {
            if (l.kernels()[s].length != l.dims() || l.strides()[s].length != l.dims()) {
                throw refuse(where, "stage " + s + " has kernels or strides of another number of axes");
            }
            for (int v : l.kernels()[s]) {
                if (v < 1 || v % 2 == 0) {
                    throw refuse(where, "stage " + s + " has the even kernel size " + v);
                }
            }
        }
        for (int v : l.strides()[0]) {
            if (v != 1) {
                throw refuse(where, "its first stage has the stride " + v + "; the engine starts at full resolution");
            }
        }
        return l;
    }

    private static int convs(JsonObject o, String encoder, String decoder, int stages, String where) {
        int[] e = vector(o, encoder, where);
        int[] d = vector(o, decoder, where);
        int n = e.length > 0 ? e[0] : 0;
        for (int v : e) {
            n = v == n ? n : -1;
        }
        for (int v : d) {
            n = v == n ? n : -1;
        }
        if (n < 1 || e.length != stages || d.length != stages - 1) {
            throw refuse(where, "its convolutions per stage differ between stages or between encoder and decoder ("
                    + encoder + " " + java.util.Arrays.toString(e) + ", " + decoder + " " + java.util.Arrays.toString(d)
                    + "); the engine has one count for all");
        }
        return n;
    }

    private static void requireClass(String name, String where) {
        if (!name.equals("PlainConvUNet") && !name.endsWith(".PlainConvUNet")) {
            throw refuse(where, "its network is " + name + "; only the reference's PlainConvUNet maps onto the "
                    + "engine's U-Net (residual encoders and other networks do not)");
        }
    }

    private static void expect(JsonObject o, String key, String value, String where) {
        String v = o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "none";
        if (!v.equals(value)) {
            throw refuse(where, "its " + key + " is " + v + ", not " + value);
        }
    }

    private static String text(JsonObject o, String key, String where) {
        if (!o.has(key) || !o.get(key).isJsonPrimitive()) {
            throw refuse(where, "it has no " + key);
        }
        return o.get(key).getAsString();
    }

    private static int integer(JsonObject o, String key, String where) {
        return Integer.parseInt(text(o, key, where));
    }

    private static int[] vector(JsonObject o, String key, String where) {
        if (!o.has(key) || !o.get(key).isJsonArray()) {
            throw refuse(where, "it has no list " + key);
        }
        List<Integer> r = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray(key)) {
            r.add(e.getAsInt());
        }
        return r.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[][] matrix(JsonObject o, String key, String where) {
        if (!o.has(key) || !o.get(key).isJsonArray()) {
            throw refuse(where, "it has no list " + key);
        }
        List<int[]> r = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray(key)) {
            r.add(e.getAsJsonArray().asList().stream().mapToInt(JsonElement::getAsInt).toArray());
        }
        return r.toArray(new int[0][]);
    }

    static int[] reversed(int[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[v.length - 1 - i];
        }
        return r;
    }

    private static ReferenceModelException refuse(String where, String why) {
        return new ReferenceModelException("The reference model " + where + " cannot be imported: " + why + ".");
    }
}

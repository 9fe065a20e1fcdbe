package io.github.nnunetfiji.engine;

/**
 * Resolves {@link EngineOptions.Precision} for a device and processor. Mixed bfloat16 pays only
 * where the processor computes bfloat16 natively (AVX512-BF16 or AMX): elsewhere oneDNN emulates it
 * through float32 and a train step is slower than in float32. So {@code AUTO} never chooses it
 * there, and an explicit request is refused with the fix unless
 * {@link EngineOptions#allowEmulatedBfloat16()} says the caller wants it anyway (to compare numbers).
 */
public final class PrecisionChoice {

    private PrecisionChoice() {
    }

    /** Whether networks compute in mixed bfloat16; throws if that would be emulated and not allowed. */
    public static boolean mixedBfloat16(EngineOptions options, Device device, Processor cpu) {
        switch (options.precision()) {
            case FLOAT32:
                return false;
            case AUTO:
                return device == Device.CPU && cpu.nativeBfloat16().orElse(false);
            case MIXED_BFLOAT16:
                if (device == Device.CPU && !cpu.nativeBfloat16().orElse(true) && !options.allowEmulatedBfloat16()) {
                    throw new IllegalArgumentException("Mixed bfloat16 was requested, but this processor (" + cpu
                            + ") has no native bfloat16 (AVX512-BF16 or AMX): it would be emulated and slower than"
                            + " float32. Use precision float32 or auto (auto picks float32 here).");
                }
                return true;
            default:
                throw new IllegalArgumentException("Unknown precision " + options.precision());
        }
    }

    /** True where {@link #mixedBfloat16} would run bfloat16 without the processor's support. */
    public static boolean emulated(boolean mixed, Device device, Processor cpu) {
        return mixed && device == Device.CPU && !cpu.nativeBfloat16().orElse(true);
    }
}

package io.github.nnunetfiji.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.engine.EngineOptions.Precision;

class PrecisionChoiceTest {

    private static final Processor AVX2 = Processor.of("AMD EPYC", List.of("avx", "avx2", "fma"));
    private static final Processor AMX = Processor.of("Xeon", List.of("avx2", "avx512f", "avx512_bf16", "amx_bf16"));
    private static final Processor UNKNOWN = Processor.unknown("aarch64 processor");

    private static boolean mixed(Precision p, Device d, Processor cpu) {
        return PrecisionChoice.mixedBfloat16(EngineOptions.defaults().withPrecision(p), d, cpu);
    }

    @Test
    void autoChoosesBfloat16OnlyOnACpuThatComputesItNatively() {
        assertTrue(mixed(Precision.AUTO, Device.CPU, AMX));
        assertFalse(mixed(Precision.AUTO, Device.CPU, AVX2));
        assertFalse(mixed(Precision.AUTO, Device.CPU, UNKNOWN));
        assertFalse(mixed(Precision.AUTO, Device.GPU, AMX));
    }

    @Test
    void float32IsFloat32Everywhere() {
        for (Processor cpu : List.of(AVX2, AMX, UNKNOWN)) {
            assertFalse(mixed(Precision.FLOAT32, Device.CPU, cpu));
        }
    }

    @Test
    void explicitBfloat16WithoutNativeSupportIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mixed(Precision.MIXED_BFLOAT16, Device.CPU, AVX2));
        assertTrue(e.getMessage().contains("emulated") && e.getMessage().contains("AMD EPYC")
                && e.getMessage().contains("float32 or auto"), e.getMessage());
        assertFalse(PrecisionChoice.emulated(false, Device.CPU, AVX2));
    }

    @Test
    void explicitBfloat16RunsWhereNativeUnknownOrAllowed() {
        assertTrue(mixed(Precision.MIXED_BFLOAT16, Device.CPU, AMX));
        assertFalse(PrecisionChoice.emulated(true, Device.CPU, AMX));
        assertTrue(mixed(Precision.MIXED_BFLOAT16, Device.GPU, AVX2));
        assertFalse(PrecisionChoice.emulated(true, Device.GPU, AVX2));
        assertTrue(mixed(Precision.MIXED_BFLOAT16, Device.CPU, UNKNOWN));
        EngineOptions allowed = EngineOptions.defaults().withPrecision(Precision.MIXED_BFLOAT16)
                .withAllowEmulatedBfloat16(true);
        assertTrue(PrecisionChoice.mixedBfloat16(allowed, Device.CPU, AVX2));
        assertTrue(PrecisionChoice.emulated(true, Device.CPU, AVX2));
    }
}

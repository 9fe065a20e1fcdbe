package io.github.nnunetfiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorTest {

    /** Excerpts of /proc/cpuinfo of the two kinds of processor the engine meets. */
    static final String ZEN3_FLAGS = "fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c bmi1 avx2 bmi2 sha_ni vaes";
    static final String SAPPHIRE_RAPIDS_FLAGS = "fpu sse sse2 fma avx avx2 avx512f avx512dq avx512_vnni avx512_bf16"
            + " amx_bf16 amx_tile amx_int8";

    @TempDir
    Path dir;

    private static List<String> cpuinfo(String model, String flags) {
        return List.of("processor\t: 0", "vendor_id\t: x", "model name\t: " + model, "flags\t\t: " + flags, "",
                "processor\t: 1", "model name\t: " + model, "flags\t\t: " + flags);
    }

    @Test
    void readsModelAndExtensionsOfAnAvx2Processor() {
        Processor p = Processor.fromCpuInfo(cpuinfo("AMD EPYC 7763 64-Core Processor", ZEN3_FLAGS), "x");
        assertEquals("AMD EPYC 7763 64-Core Processor", p.model());
        assertTrue(p.has("avx2") && !p.has("avx512f"));
        assertEquals(Optional.of(false), p.nativeBfloat16());
        assertEquals("avx2 yes, avx512f no, avx512_bf16 no, amx_bf16 no", p.extensions());
        assertEquals("AMD EPYC 7763 64-Core Processor (avx2 yes, avx512f no, avx512_bf16 no, amx_bf16 no)",
                p.toString());
    }

    @Test
    void amxOrAvx512Bf16IsNativeBfloat16() {
        Processor spr = Processor.fromCpuInfo(cpuinfo("Intel(R) Xeon(R) Platinum 8480+", SAPPHIRE_RAPIDS_FLAGS), "x");
        assertEquals(Optional.of(true), spr.nativeBfloat16());
        assertEquals("avx2 yes, avx512f yes, avx512_bf16 yes, amx_bf16 yes", spr.extensions());
        assertEquals(Optional.of(true), Processor.of("Cooper Lake", List.of("avx2", "avx512f", "avx512_bf16"))
                .nativeBfloat16());
        assertEquals(Optional.of(true), Processor.of("AMX only", List.of("amx_bf16")).nativeBfloat16());
    }

    @Test
    void unreadableOrFlaglessCpuInfoLeavesExtensionsUnknown() throws Exception {
        Processor none = Processor.read(dir.resolve("missing"));
        assertFalse(none.extensionsKnown());
        assertEquals(Optional.empty(), none.nativeBfloat16());
        assertEquals("extensions unknown", none.extensions());
        Path noFlags = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nmodel name\t: Some CPU\n");
        Processor p = Processor.read(noFlags);
        assertEquals("Some CPU", p.model());
        assertFalse(p.extensionsKnown());
    }

    @Test
    void armFeaturesLineCounts() {
        Processor p = Processor.fromCpuInfo(List.of("processor\t: 0", "Features\t: fp asimd bf16 sve"), "aarch64 processor");
        assertEquals("aarch64 processor", p.model());
        assertTrue(p.extensionsKnown() && p.has("asimd"));
        assertEquals(Optional.of(false), p.nativeBfloat16());
    }

    @Test
    void thisMachineIsRead() {
        Processor p = Processor.current();
        assertFalse(p.model().isBlank());
        if (Files.isReadable(Path.of("/proc/cpuinfo"))) {
            assertTrue(p.extensionsKnown(), p.toString());
        }
    }
}

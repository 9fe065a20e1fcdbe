package io.github.nnunetfiji.engine.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the processor computes natively, read from Linux's /proc/cpuinfo (false elsewhere). */
final class CpuFeatures {

    private CpuFeatures() {
    }

    /** True where oneDNN has bfloat16 instructions (AVX512-BF16 or AMX); emulation would be slower. */
    static boolean nativeBfloat16() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return line.contains(" avx512_bf16") || line.contains(" amx_bf16");
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}

package io.github.nnunetfiji.train.data;

/** Seeds derived from (run seed, batch index, slot), so a sample never depends on which thread made it. */
final class Seeds {

    private Seeds() {
    }

    static long forSample(long seed, long batchIndex, int slot) {
        long h = mix(seed ^ 0x6A09E667F3BCC909L);
        h = mix(h + batchIndex * 0x9E3779B97F4A7C15L);
        return mix(h + (slot + 1L) * 0xBF58476D1CE4E5B9L);
    }

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

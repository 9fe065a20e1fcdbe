#!/usr/bin/env bash
# Training augmentation speed, seconds per sample per core: 3D 128^3 two-channel patch and 2D
# 512x512 slice, with rotation, scaling and elastic deformation on every sample and with the
# default probabilities. Usage: bench/augmentation.sh [SAMPLES]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cp="$("$here/classpath.sh")"
java -Xmx6g -cp "$cp" io.github.nnunetfiji.bench.AugmentationBenchmark "${1:-20}"

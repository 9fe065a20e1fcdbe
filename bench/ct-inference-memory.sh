#!/usr/bin/env bash
# Peak memory of predicting one CT-sized case (512x512x500 int16, 3 classes) end to end with a
# small random-weight 3D U-Net, mirroring off: peak resident memory, peak heap in use, the
# aggregation buffer and the processor (docs/inference.md, "Memory"). About a minute on 2 cores
# with the default step 1.0 (the step changes the time, not the memory).
# Usage: bench/ct-inference-memory.sh [THREADS] [X Y Z] [PATCH] [FEATURES] [STEP]   (env XMX, default 4g)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cp="$("$here/classpath.sh")"
TF_CPP_MIN_LOG_LEVEL=1 java -Xmx"${XMX:-4g}" -cp "$cp" io.github.nnunetfiji.bench.CtInferenceMemoryBenchmark "$@" 2>&1 \
  | grep -v -e 'tfj_gradients_impl' -e '^20[0-9][0-9]-' -e '^WARNING' -e '^I0000' -e '^To enable' || true

#!/usr/bin/env bash
# Where the inference forward pass spends its time: per op type (oneDNN's and grappler's fused
# kernels by the name of the kernel that ran), from TensorFlow's step statistics (FULL_TRACE), for
# the frozen inference graphs of the 2D U-Net at 256x256 (batch 8) and the 3D U-Net at 64^3
# (batch 2), float32, random weights; with the processor line. One JVM per case.
# Usage: bench/engine-profile.sh [THREADS] [TRACED_PASSES] [CASE...]   (cases: 2d-256 3d-64 isbi-2d brats-3d;
#   NODES=1 also lists the nodes of the first traced pass that took over 20 ms)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
threads="${1:-2}"
passes="${2:-2}"
shift 2 || shift $# || true
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  cases=(2d-256 3d-64)
fi
cp="$("$here/classpath.sh")"
flags="$(grep -m1 -E '^(flags|Features)' /proc/cpuinfo 2>/dev/null || true)"
ext=""
for f in avx2 avx512f avx512_bf16 amx_bf16; do
  case " ${flags#*:} " in *" $f "*) ext="$ext $f yes";; *) ext="$ext $f no";; esac
done
echo "processor: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //')," \
  "family $(grep -m1 'cpu family' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //')," \
  "$(nproc) logical processors,$ext; $threads threads; load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
for c in "${cases[@]}"; do
  TF_CPP_MIN_LOG_LEVEL=2 java -Xmx4g -cp "$cp" io.github.nnunetfiji.engine.tf.InferenceProfile "$c" "$threads" "$passes" 2>&1 \
    | grep -v -e '^20[0-9][0-9]-' -e '^WARNING' -e '^I0000' -e '^To enable' -e 'tfj_gradients_impl' || true
done

#!/usr/bin/env bash
# The engine on a GPU: a few hundred train steps of the 3D U-Net at 64^3 and of the network planned
# for the shared BraTS subset, in float32 and mixed bfloat16, printing ms per step, GFLOP/s and the
# peak GPU memory nvidia-smi saw. Builds the class path with the GPU natives (-Dgpu), so Maven must
# reach them (or find them in ~/.m2). Usage: bench/gpu-check.sh [STEPS] [CASE...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${1:-300}"
shift || true
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  cases=(3d-64 brats-3d)
fi
if ! command -v nvidia-smi >/dev/null; then
  echo "gpu-check: nvidia-smi not found; this script needs an NVIDIA GPU and its driver" >&2
  exit 2
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
(cd "$root" && mvn -q -B -Dgpu -Dstyle.color=never -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/gpu-classpath.txt -Dmdep.includeScope=test >&2)
cp="$root/target/test-classes:$root/target/classes:$(cat "$root/target/gpu-classpath.txt")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for c in "${cases[@]}"; do
  for precision in float32 mixed; do
    # Sample the GPU's used memory while the benchmark runs; report the largest value.
    nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 > "$tmp/mem.txt" &
    sampler=$!
    TF_CPP_MIN_LOG_LEVEL=1 java -Xmx8g -Dnnunet.bench.device=gpu -Dnnunet.bench.steps="$steps" \
      -cp "$cp" io.github.nnunetfiji.bench.EngineBenchmark "$c" 0 "$precision" 2>&1 \
      | grep -v -e 'tfj_gradients_impl' -e '^20[0-9][0-9]-' -e '^WARNING' -e '^I0000' || true
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    echo "$c $precision: peak GPU memory used $(sort -n "$tmp/mem.txt" | tail -1) MiB"
  done
done

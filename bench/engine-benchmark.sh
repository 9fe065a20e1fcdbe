#!/usr/bin/env bash
# The engine's speed: ms per train step, ms per forward pass, GFLOP/s and peak resident memory for
# the 3D U-Net at 64^3 (batch 2, 30 features, 4 levels), the 2D U-Net at 256x256 (batch 8, 30
# features, 6 levels) and the 3D U-Net planned for the BraTS subset, in float32 and mixed bfloat16;
# then the same networks in PyTorch where Debian's python3-torch is installed. One process per
# figure, so each peak is its own. Slow (the BraTS case alone takes minutes on 2 cores).
# Usage: bench/engine-benchmark.sh [THREADS] [CASE...]   (cases: 3d-64 2d-256 brats-3d)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
threads="${1:-2}"
shift || true
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  cases=(3d-64 2d-256 brats-3d)
fi
cp="$("$here/classpath.sh")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
has_torch=0
if /usr/bin/python3 -c "import torch" 2>/dev/null; then
  has_torch=1
fi
quiet() { grep -v -e 'tfj_gradients_impl' -e '^20[0-9][0-9]-' -e '^WARNING' -e '^I0000' -e '^To enable' || true; }
for c in "${cases[@]}"; do
  for precision in float32 mixed; do
    TF_CPP_MIN_LOG_LEVEL=1 java -Xmx4g -cp "$cp" io.github.nnunetfiji.bench.EngineBenchmark \
      "$c" "$threads" "$precision" "$tmp/$c.json" 2>&1 | quiet
  done
  if [ "$has_torch" = 1 ]; then
    for precision in float32 mixed; do
      /usr/bin/python3 "$here/unet_torch.py" "$tmp/$c.json" "$threads" "$precision"
    done
  else
    echo "$c: python3-torch not installed, no PyTorch figures"
  fi
done

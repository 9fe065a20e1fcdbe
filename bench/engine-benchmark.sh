#!/usr/bin/env bash
# The engine's speed: ms per train step, ms per forward pass, GFLOP/s and peak resident memory for
# the 3D U-Net at 64^3 (batch 2, 30 features, 4 levels), the 2D U-Net at 256x256 (batch 8, 30
# features, 6 levels) and the 3D U-Net planned for the BraTS subset, in float32 and mixed bfloat16;
# then the same networks in PyTorch where Debian's python3-torch is installed, and the train step's
# ratio to PyTorch's in the same precision. Every figure line ends with the engine's precision,
# threads and oneDNN state and the processor's model and vector extensions. One process per figure,
# so each peak is its own. Slow (the BraTS case alone takes minutes on 2 cores).
# Usage: bench/engine-benchmark.sh [THREADS] [CASE...]   (cases: 3d-64 2d-256 brats-3d)
# ONEDNN_OFF=1 adds TensorFlow in float32 with TF_ENABLE_ONEDNN_OPTS=0 (Eigen's kernels, slow).
# Mixed bfloat16 runs only where the processor computes it natively (avx512_bf16 or amx_bf16);
# BF16_EMULATED=1 runs it elsewhere too (emulated: several times slower than float32).
# The forward pass is the exported inference model's, with the engine's default options and with
# the plain graph (EngineOptions.sampleWiseInference off), timed in turn in one JVM (medians).
# STEPS=N times N train steps (and N in PyTorch) instead of the case's 5, for a quicker run.
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
flags="$(grep -m1 -E '^(flags|Features)' /proc/cpuinfo 2>/dev/null || true)"
ext=""
for f in avx2 avx512f avx512_bf16 amx_bf16; do
  case " ${flags#*:} " in *" $f "*) ext="$ext $f yes";; *) ext="$ext $f no";; esac
done
echo "processor: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //')," \
  "$(nproc) logical processors,$ext; $threads threads; load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
bf16=0
if [ "${BF16_EMULATED:-0}" = 1 ] || [[ " ${flags#*:} " == *" avx512_bf16 "* ]] || [[ " ${flags#*:} " == *" amx_bf16 "* ]]; then
  bf16=1
fi
quiet() { grep -v -e 'tfj_gradients_impl' -e '^20[0-9][0-9]-' -e '^WARNING' -e '^I0000' -e '^To enable' || true; }
tf() { # tf CASE PRECISION [ENV...]
  env "${@:3}" TF_CPP_MIN_LOG_LEVEL=1 java -Xmx4g ${STEPS:+-Dnnunet.bench.steps=$STEPS} -cp "$cp" io.github.nnunetfiji.bench.EngineBenchmark \
    "$1" "$threads" "$2" "$tmp/$1.json" 2>&1 | quiet | tee -a "$tmp/lines.txt"
}
# Train ms of the figure line of case $1 whose label (columns 11-28) is exactly $2.
train_ms() {
  awk -v c="$1" -v l="$2" '{ lab = substr($0, 11, 18); sub(/ +$/, "", lab) }
    $1 == c && lab == l { for (i = 1; i <= NF; i++) if ($i == "train") { print $(i + 1); exit } }' "$tmp/lines.txt"
}
# Forward ms of that line ("forward"), or of its plain graph ("plain").
forward_ms() {
  awk -v c="$1" -v l="$2" -v k="$3" '{ lab = substr($0, 11, 18); sub(/ +$/, "", lab) }
    $1 == c && lab == l { for (i = 1; i <= NF; i++) if ($i == k || (k == "plain" && $i == "(plain")) { v = $(i + 1); if (k == "plain") v = $(i + 2); print v; exit } }' "$tmp/lines.txt"
}
ratio() { # ratio CASE NAME LABEL-A LABEL-B [forward|plain]: train (or forward) time of A over B
  local a b
  if [ -n "${5:-}" ]; then
    a="$(forward_ms "$1" "$3" "$5")"
    b="$(forward_ms "$1" "$4" forward)"
  else
    a="$(train_ms "$1" "$3")"
    b="$(train_ms "$1" "$4")"
  fi
  if [ -n "$a" ] && [ -n "$b" ]; then
    awk -v c="$1" -v n="$2" -v a="$a" -v b="$b" 'BEGIN { printf "%-9s ratio %-32s %.2fx (%s / %s ms)\n", c, n, a / b, a, b }'
  fi
}
for c in "${cases[@]}"; do
  tf "$c" float32
  if [ "${ONEDNN_OFF:-0}" = 1 ]; then
    tf "$c" float32 TF_ENABLE_ONEDNN_OPTS=0
  fi
  precisions=(float32)
  if [ "$bf16" = 1 ]; then
    tf "$c" mixed
    precisions+=(mixed)
  else
    echo "$c: no mixed bfloat16 (no native bfloat16 on this processor; BF16_EMULATED=1 runs it)"
  fi
  if [ "$has_torch" = 1 ]; then
    for precision in "${precisions[@]}"; do
      /usr/bin/python3 "$here/unet_torch.py" "$tmp/$c.json" "$threads" "$precision" | tee -a "$tmp/lines.txt"
    done
    torch="$(awk -v c="$c" '$1 == c && $2 ~ /^pytorch-/ && $3 != "bf16" { print $2; exit }' "$tmp/lines.txt")"
    ratio "$c" "train tf-java / pytorch float32" "tf-java" "$torch"
    ratio "$c" "train tf-java eigen / pytorch" "tf-java eigen" "$torch"
    ratio "$c" "train tf-java bf16 / pytorch bf16" "tf-java bf16" "$torch bf16"
    ratio "$c" "forward tf-java / pytorch float32" "tf-java" "$torch" forward
    ratio "$c" "forward plain graph / pytorch" "tf-java" "$torch" plain
    ratio "$c" "forward tf-java bf16 / pytorch bf16" "tf-java bf16" "$torch bf16" forward
    ratio "$c" "forward bf16 plain / pytorch bf16" "tf-java bf16" "$torch bf16" plain
  else
    echo "$c: python3-torch not installed, no PyTorch figures"
  fi
  ratio "$c" "train oneDNN on / off (float32)" "tf-java" "tf-java eigen"
done

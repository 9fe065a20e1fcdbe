#!/usr/bin/env bash
# Fingerprint speed on the shared BraTS subset. Times the whole `nnunet fingerprint` command (a
# fresh JVM per run, THREADS cases in parallel) against a baseline that follows the reference
# implementation's fingerprint algorithm in Python (nibabel, numpy, scipy; 2 processes): read each
# case as float32, crop to the hole-filled nonzero mask, draw 10^8 / (number of cases) foreground
# intensities per case and channel with replacement (seed 1234), then statistics over all draws.
# The reference itself needs PyTorch and is not installed here; the baseline does the same work.
#
#   bench/fingerprint.sh [DATASET]    REPS=3, THREADS=2, BASELINE=1 (0 skips the Python baseline)
set -euo pipefail
cd "$(dirname "$0")/.."

REPS=${REPS:-3}
THREADS=${THREADS:-2}
BASELINE=${BASELINE:-1}
DATA=${NNUNET_SHARED_DATA:-../shared/data}
PYTHON=${PYTHON:-/usr/bin/python3}
JAVA_OPTS=${JAVA_OPTS:--Xmx4g}
DATASET=${1:-$DATA/Task01_BrainTumour_DeepMedicSubset}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

CP=$(bench/classpath.sh)

now() { date +%s.%N; }
echo "data set: $DATASET"
echo "machine:  $(nproc) CPU(s), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

java_times=()
for i in $(seq "$REPS"); do
    t0=$(now)
    # shellcheck disable=SC2086
    java $JAVA_OPTS -cp "$CP" io.github.nnunetfiji.cli.Main fingerprint "$DATASET" --work "$WORK" \
        --threads "$THREADS" > "$WORK/java.log"
    java_times+=("$(echo "$(now) - $t0" | bc)")
done
grep -E "^Wrote|channel" "$WORK/java.log" | sed 's/^/  java: /'

py_times=()
if [ "$BASELINE" = 1 ]; then
    for i in $(seq "$REPS"); do
        t0=$(now)
        "$PYTHON" - "$DATASET" > "$WORK/py.log" <<'PY'
import json, os, sys
from multiprocessing import Pool
import numpy as np
import nibabel as nib
from scipy.ndimage import binary_fill_holes

root = sys.argv[1]
ds = json.load(open(os.path.join(root, 'dataset.json')))

def analyze(args):
    image, label, samples = args
    img = np.asanyarray(nib.load(os.path.join(root, image)).dataobj).astype(np.float32)
    img = img[None] if img.ndim == 3 else np.moveaxis(img, -1, 0)
    seg = np.asanyarray(nib.load(os.path.join(root, label)).dataobj)[None].astype(np.int8)
    nonzero = np.zeros(img.shape[1:], bool)
    for c in img:
        nonzero |= c != 0
    nonzero = binary_fill_holes(nonzero)
    idx = np.argwhere(nonzero)
    box = tuple(slice(lo, hi + 1) for lo, hi in zip(idx.min(0), idx.max(0)))
    data = img[(slice(None),) + box]
    seg = seg[(slice(None),) + box]
    seg[(seg == 0) & ~nonzero[box][None]] = -1
    fg = seg[0] > 0
    rs = np.random.RandomState(1234)
    draws, stats = [], []
    for c in data:
        px = c[fg]
        draws.append(rs.choice(px, samples, replace=True) if len(px) else np.zeros(0, np.float32))
        stats.append([np.mean(px), np.median(px), np.min(px), np.max(px),
                      np.percentile(px, 99.5), np.percentile(px, 0.5)])
    return img.shape[1:], data.shape[1:], draws, stats

cases = ds['training']
samples = int(1e8 // len(cases))
with Pool(2) as pool:
    results = pool.map(analyze, [(c['image'], c['label'], samples) for c in cases])
for ch in range(len(results[0][2])):
    a = np.concatenate([r[2][ch] for r in results])
    print('channel %d: mean %.4g std %.4g median %.4g min %.4g max %.4g p0.5 %.4g p99.5 %.4g (%d draws)' % (
        ch, a.mean(), a.std(), np.median(a), a.min(), a.max(), np.percentile(a, 0.5), np.percentile(a, 99.5), len(a)))
PY
        py_times+=("$(echo "$(now) - $t0" | bc)")
    done
    sed 's/^/  baseline: /' "$WORK/py.log"
fi

fmt() { printf '%s ' "$@" | awk '{for (i = 1; i <= NF; i++) printf "%.2f ", $i}'; }
best() { printf '%s\n' "$@" | sort -g | head -n 1; }
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'nnunet fingerprint (Java, %s threads), s:   %s best %.2f\n' "$THREADS" "$(fmt "${java_times[@]}")" \
    "$(best "${java_times[@]}")"
if [ "$BASELINE" = 1 ]; then
    printf 'reference algorithm (Python, 2 processes), s: %s best %.2f\n' "$(fmt "${py_times[@]}")" \
        "$(best "${py_times[@]}")"
    printf 'speed-up (best vs best): %.1fx\n' "$(echo "$(best "${py_times[@]}") / $(best "${java_times[@]}")" | bc -l)"
fi

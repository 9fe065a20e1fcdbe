#!/usr/bin/env bash
# Preprocessing speed and memory on the shared BraTS subset (6 cases, 240x240x155x2 float32):
#  1. plan (paper planner) and preprocess 3d_fullres at the native 1 mm (crop + normalize, no resampling);
#  2. the same cases planned at 1.5 mm, so every case is resampled (cubic images, nearest labels);
#  3. one case at 1.5 mm with --threads 1, for the peak memory of a single case.
# Wall time and peak resident memory of the whole command come from /usr/bin/time.
#   bench/preprocess.sh [DATASET]     THREADS=2
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-2}
DATA=${NNUNET_SHARED_DATA:-../shared/data}
DATASET=${1:-$DATA/Task01_BrainTumour_DeepMedicSubset}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
name=$(basename "$DATASET")
./nnunet --help >/dev/null || true   # builds if needed, outside the timings

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>&1 || { cat "$WORK/out.txt"; exit 1; }
  read -r secs kb <"$WORK/time.txt"
  printf '%-48s %6.2f s   peak RSS %5d MiB\n' "$label" "$secs" $((kb / 1024))
}

./nnunet plan "$DATASET" --work "$WORK" >/dev/null
measure "preprocess 3d_fullres at 1 mm ($THREADS threads)" ./nnunet preprocess "$DATASET" -c 3d_fullres --work "$WORK" --threads "$THREADS"

/usr/bin/python3 - "$WORK/$name/plans.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
c = p["configurations"]["3d_fullres"]
c["spacing"] = [1.5, 1.5, 1.5]
c["dataIdentifier"] = "bench_1.5mm"
json.dump(p, open(sys.argv[1], "w"), indent=1)
PY
measure "preprocess at 1.5 mm, resampled ($THREADS threads)" ./nnunet preprocess "$DATASET" -c 3d_fullres --work "$WORK" --threads "$THREADS"

# One case alone: a data set folder with only the first case, same plans.
one="$WORK/one/$name"
mkdir -p "$one/imagesTr" "$one/labelsTr"
/usr/bin/python3 - "$DATASET" "$one" <<'PY'
import json, os, sys
src, dst = os.path.abspath(sys.argv[1]), sys.argv[2]
d = json.load(open(os.path.join(src, "dataset.json")))
case = d["training"][0]
d["training"] = [case]; d["numTraining"] = 1
json.dump(d, open(os.path.join(dst, "dataset.json"), "w"))
for k in ("image", "label"):
    os.symlink(os.path.normpath(os.path.join(src, case[k])), os.path.normpath(os.path.join(dst, case[k])))
PY
mkdir -p "$WORK/one-work/$name" && cp "$WORK/$name/plans.json" "$WORK/one-work/$name/"
measure "one case at 1.5 mm (1 thread)" ./nnunet preprocess "$one" -c 3d_fullres --work "$WORK/one-work" --threads 1
# Live memory, not RSS (the JVM keeps freed heap): all 6 cases, one at a time, in a heap of about
# 2x one decoded case. Succeeding proves the per-case peak stays below that.
rm -rf "$WORK/$name/preprocessed"
NNUNET_JAVA_OPTS=-Xmx160m measure "all cases at 1 mm in a 160 MiB heap (1 thread)" \
  ./nnunet preprocess "$DATASET" -c 3d_fullres --work "$WORK" --threads 1
echo "(decoded size of one case: 240x240x155x2 float32 = 68 MiB image + 8.5 MiB labels = 77 MiB)"

#!/usr/bin/env bash
# Reading speed and memory: NiftiIO.read (Java) against nibabel (np.asanyarray(img.dataobj)) on the
# largest shared NIfTI case, same number of repetitions, printed side by side.
#
#   bench/nifti-read.sh [FILE]        REPS=7 by default; JAVA_OPTS="-Xmx2g" by default
set -euo pipefail
cd "$(dirname "$0")/.."

REPS=${REPS:-7}
DATA=${NNUNET_SHARED_DATA:-../shared/data}
PYTHON=${PYTHON:-/usr/bin/python3}
JAVA_OPTS=${JAVA_OPTS:--Xmx2g}
FILE=${1:-$(ls -S "$DATA"/Task01_BrainTumour_DeepMedicSubset/imagesTr/*.nii.gz | head -n 1)}

CP="$(bench/classpath.sh)"

# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$CP" io.github.nnunetfiji.bench.NiftiReadBenchmark "$FILE" "$REPS" > target/bench-nifti-java.txt

"$PYTHON" - "$FILE" "$REPS" > target/bench-nifti-nibabel.txt <<'PY'
import statistics, sys, time, tracemalloc
import numpy as np
import nibabel as nib

path, reps = sys.argv[1], int(sys.argv[2])

def read():
    return np.asanyarray(nib.load(path).dataobj)

arr = read()  # warm-up, as on the Java side
times = []
for _ in range(reps):
    del arr
    t0 = time.perf_counter()
    arr = read()
    times.append((time.perf_counter() - t0) * 1000)
del arr
# Peak Python/numpy allocation during one read, measured separately so it does not slow the timings.
tracemalloc.start()
arr = read()
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print('nibabel=%s numpy=%s' % (nib.__version__, np.__version__))
print('min_ms=%.1f' % min(times))
print('median_ms=%.1f' % statistics.median(times))
print('decoded_mib=%.1f' % (arr.nbytes / 1048576))
print('peak_mib=%.1f' % (peak / 1048576))
print('peak_ratio=%.2f' % (peak / arr.nbytes))
print('all_ms=%s' % [round(t, 1) for t in times])
PY

get() { grep "^$1=" "$2" | cut -d= -f2-; }
J=target/bench-nifti-java.txt
P=target/bench-nifti-nibabel.txt
echo "file:  $(get file $J)"
echo "image: $(get shape $J), $REPS timed reads each after one warm-up; $(nproc) CPU(s), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %14s %14s\n' "" "Java NiftiIO" "nibabel"
for k in min_ms median_ms decoded_mib peak_mib peak_ratio; do
    printf '%-28s %14s %14s\n' "$k" "$(get $k $J)" "$(get $k $P)"
done
echo "java times (ms):    $(get all_ms $J)"
echo "nibabel times (ms): $(get all_ms $P)   ($(head -n 1 $P))"
echo "peak = heap (Java, sum of pool peaks) or tracemalloc (Python) growth during one read"

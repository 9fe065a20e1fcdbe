#!/usr/bin/env bash
# Speed and memory of predicting one BraTS case end to end with the reference's 3D full-resolution
# network (6 stages, 32-320 features, 2 channels, 5 classes, random weights), without and with
# mirroring, one process per figure. The patch defaults to the issue's 96x160x160 written z,y,x by
# the reference, i.e. 160x160x96 in x,y,z. Slow with mirroring (minutes on 2 cores).
# Usage: bench/inference.sh [THREADS] [CASE] [PATCH_X PATCH_Y PATCH_Z] [float32|auto] [MIRROR...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
threads="${1:-2}"
case_file="${2:-$here/../../shared/data/Task01_BrainTumour_DeepMedicSubset/imagesTr/BRATS_0001.nii.gz}"
px="${3:-160}"; py="${4:-160}"; pz="${5:-96}"
precision="${6:-auto}"
shift 6 2>/dev/null || shift $#
mirrors=("$@")
if [ ${#mirrors[@]} -eq 0 ]; then
  mirrors=(false true)
fi
cp="$("$here/classpath.sh")"
for m in "${mirrors[@]}"; do
  TF_CPP_MIN_LOG_LEVEL=1 java -Xmx8g -cp "$cp" io.github.nnunetfiji.bench.InferenceBenchmark \
    "$case_file" "$threads" "$m" "$px" "$py" "$pz" "$precision" 2>&1 \
    | grep -v -e 'tfj_gradients_impl' -e '^20[0-9][0-9]-' -e '^WARNING' -e '^I0000' -e '^To enable' || true
done

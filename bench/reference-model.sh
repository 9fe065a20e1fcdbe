#!/usr/bin/env bash
# A model in the reference implementation's trained-model layout, end to end: trains a small 2D
# PlainConvUNet with PyTorch on the ISBI sections outside the reference's fold 0 validation
# (bench/reference_model.py; CPU, MINUTES), writes it as the reference writes a trained model
# (plans.json, dataset.json, dataset_fingerprint.json, fold_0/checkpoint_final.pth), predicts the
# held-out section isbi_003 in Python the reference's way (the reference network's own labels),
# imports the folder with 'nnunet import_model --from-reference', segments the same section with
# nnU-Net Segment Image run headless through SciJava's CommandService, and prints the agreement of
# the two label images, each one's Dice against the ground truth, the times and the processor.
# Usage: bench/reference-model.sh [MINUTES] [THREADS] [DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
minutes="${1:-4}"
threads="${2:-2}"
dir="${3:-${TMPDIR:-/tmp}/nnunet-reference-model}"
data="${NNUNET_ISBI:-$root/../shared/data/Task100_ISBI2012EM}"
section=isbi_003
mkdir -p "$dir"
py=/usr/bin/python3

echo "== training a reference-layout PlainConvUNet with PyTorch for ${minutes} min ($threads threads)"
"$py" "$here/reference_model.py" train "$data" "$dir/results" "$minutes" "$threads" | tee "$dir/train.txt"
folder="$(sed -n 's/^trainer_folder=//p' "$dir/train.txt")"

echo "== the reference's prediction of $section in Python"
"$py" "$here/reference_model.py" predict "$folder" "$data/imagesTr/$section.nii.gz" "$dir/python_$section.nii.gz" \
  "$threads" | tee "$dir/python.txt"

echo "== nnunet import_model --from-reference"
start=$(date +%s.%N)
"$root/nnunet" import_model --from-reference "$folder" --name isbi_reference --replace --models "$dir/models"
echo "import_seconds=$(echo "$(date +%s.%N) - $start" | bc)"

echo "== nnU-Net Segment Image (headless, CommandService)"
cp="$("$here/classpath.sh")"
TF_CPP_MIN_LOG_LEVEL=1 java -Xmx4g -Djava.awt.headless=true -cp "$cp" io.github.nnunetfiji.bench.ReferenceModelSegment \
  "$dir/models/isbi_reference" "$data/imagesTr/$section.nii.gz" "$dir/java_$section.nii.gz" "$threads" 2>&1 \
  | grep -e '^java_seconds' -e 'Exception' -e 'failed' | tee "$dir/java.txt"

echo "== agreement ($section, 512x512; membrane = 1)"
"$py" "$here/reference_model.py" compare "$dir/python_$section.nii.gz" "$dir/java_$section.nii.gz" \
  "$data/labelsTr/$section.nii.gz"
echo "processor: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $threads threads"

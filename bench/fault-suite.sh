#!/usr/bin/env bash
# The fault and bad-input suite: every stage of the pipeline killed (SIGKILL and SIGTERM) at seeded
# random moments and run again, two trainings of one fold at once, an output folder turning
# read-only and a disk filling during a prediction, and requests a new user gets wrong; then the
# seeded mutation loop over real NIfTI, TIFF, checkpoint, JSON and model files in its long form.
# Prints one table per part: per stage, kills survived / tried, other faults survived / tried, bad
# inputs rejected cleanly / tried, files lost or corrupted; per file kind, fuzz inputs / crashes.
# Usage: bench/fault-suite.sh [TRIALS] [SEED]   (TRIALS kills per stage, default 4; about 10 min)
# SKIP_FUZZ=1 leaves out the mutation loop.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cp="$("$here/classpath.sh")"
cd "$here/.."
TF_CPP_MIN_LOG_LEVEL=2 java -Xmx2g -cp "$cp" io.github.nnunetfiji.faults.FaultSuite "${1:-4}" "${2:-2026}"

#!/usr/bin/env bash
# The fault and bad-input suite: every stage of the pipeline killed (SIGKILL and SIGTERM) at seeded
# random moments and run again, two trainings of one fold at once, an output folder turning
# read-only and a disk filling during a prediction, and requests a new user gets wrong; then the
# seeded mutation loop over real files in its long form. Prints one table per part: per stage,
# kills survived / tried, other faults survived / tried, bad inputs rejected cleanly / tried,
# files lost or corrupted.
# Usage: bench/fault-suite.sh [TRIALS] [SEED]   (TRIALS kills per stage, default 4; about 15 min)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cp="$("$here/classpath.sh")"
# The children run a private copy of the classes, so that a build during the run cannot change them.
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
root="$(cd "$here/.." && pwd)"
cp -r "$root/target/classes" "$classes/classes"
cp -r "$root/target/test-classes" "$classes/test-classes"
cp="${cp//$root\/target\/test-classes/$classes/test-classes}"
cp="${cp//$root\/target\/classes/$classes/classes}"
cd "$root"
TF_CPP_MIN_LOG_LEVEL=2 java -Xmx2g -cp "$cp" io.github.nnunetfiji.faults.FaultSuite "${1:-4}" "${2:-2026}"

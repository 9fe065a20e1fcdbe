#!/usr/bin/env bash
# Cold and warm nnU-Net Segment Image in one Fiji session: 512x512 ISBI sections of
# test-data/Task100_ISBI2012EM_mini segmented with mirroring: the first call starts the engine and
# loads the model; then ROUNDS times a call that reuses them and one after nnU-Net Free Memory
# (loading again, as every call did before the session kept them), interleaved; medians at the end.
# MODEL: 'test' (the tests' model: tiny 2D network trained by the pipeline in a first JVM) or
# 'planned' (the paper planner's 2D network for these cases, untrained: the size users train).
# Prints the processor next to the figures.
# Usage: bench/warm-segment.sh [THREADS] [test|planned] [ROUNDS] [DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
threads="${1:-2}"
kind="${2:-test}"
rounds="${3:-4}"
model="${4:-${TMPDIR:-/tmp}/nnunet-warm-segment-$kind}"
cp="$("$here/classpath.sh")"
# Of the log, the loading lines only (how long starting the engine and loading the model took).
filter() { grep -v -e 'tfj_gradients_impl' -e '^20[0-9][0-9]-' -e '^WARNING' -e '^I0000' -e '^To enable' \
  -e '^\[WARNING\] Ignoring unsupported output' | awk '!/^\[INFO\]/ || /^\[INFO\] (Engine:|Loaded model)/' || true; }
TF_CPP_MIN_LOG_LEVEL=1 java -Xmx4g -Djava.awt.headless=true -cp "$cp" io.github.nnunetfiji.bench.WarmSegmentBenchmark \
  prepare "$kind" "$model" 2>&1 | filter
TF_CPP_MIN_LOG_LEVEL=1 java -Xmx4g -Djava.awt.headless=true -cp "$cp" io.github.nnunetfiji.bench.WarmSegmentBenchmark \
  measure "$model" "$threads" "$rounds" 2>&1 | filter

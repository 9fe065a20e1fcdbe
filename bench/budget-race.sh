#!/usr/bin/env bash
# The README's ISBI race, planned for the budget instead of by hand: plan_and_preprocess measures
# the step times of the planned patch and smaller ones on this machine and plans the patch the
# budget suits (the plan's notes say which and why), then fold 0 of the reference's split trains
# for the same budget. Prints the plan's budget notes, the membrane Dice per validation section
# from validation/summary.json, the iterations, the wall time and the processor.
#   bench/budget-race.sh [BUDGET] [WORK]     (default 15m, a fresh temporary folder)
# Run it alone on the machine: other work slows the steps it measures and trains.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${1:-15m}
DATA=${NNUNET_SHARED_DATA:-../shared/data}
DATASET=$DATA/Task100_ISBI2012EM
SPLITS=$DATA/splits/Task100_ISBI2012EM_splits_final.json
if [ -n "${2:-}" ]; then
  WORK=$2
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi
./nnunet --help >/dev/null || true   # builds if needed, outside the timings

start=$(date +%s)
./nnunet plan_and_preprocess "$DATASET" --budget "$BUDGET" --work "$WORK" >"$WORK/plan.log" 2>&1 \
  || { cat "$WORK/plan.log"; exit 1; }
planned=$(date +%s)
./nnunet train "$DATASET" 2d 0 --splits "$SPLITS" --time-limit "$BUDGET" --work "$WORK" >"$WORK/train.log" 2>&1 \
  || { tail -30 "$WORK/train.log"; exit 1; }
end=$(date +%s)

fold=$WORK/Task100_ISBI2012EM/models/2d/fold_0
echo "processor: $(lscpu | grep 'Model name' | cut -d: -f2- | sed 's/^ *//'), $(nproc) logical CPUs;" \
  "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "budget: $BUDGET"
grep -E '^  - (Time budget|2d: for)' "$WORK/plan.log" || true
grep -m1 -i 'schedule\|time limit' "$WORK/train.log" || true
/usr/bin/python3 - "$fold" <<'PY'
import csv, json, os, sys
fold = sys.argv[1]
s = json.load(open(os.path.join(fold, "validation", "summary.json")))
c = json.load(open(os.path.join(fold, "..", "plans.json")))["configurations"]["2d"]
print("patch %s, batch %d" % ("x".join(str(v) for v in c["patchSize"]), c["batchSize"]))
for case in s["cases"]:
    print("  %-10s membrane Dice %.3f" % (case["caseId"], case["dice"]["1"]))
print("mean membrane Dice %.3f" % s["meanDice"]["1"])
epochs = len(list(csv.DictReader(open(os.path.join(fold, "training_log.csv")))))
print("iterations %d (%d epochs)" % (s["networkStep"], epochs))
PY
echo "wall time: plan_and_preprocess $((planned - start)) s, train (with the final validation) $((end - planned)) s"

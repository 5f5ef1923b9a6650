#!/usr/bin/env bash
# The learning-rate grid behind the LoRA defaults of the comparison
# (MethodDefaults.lora in Sources/ZOTrain/Compare/MethodDefaults.swift; docs/comparison.md, "LoRA"):
# LoRA (rank 8) fine-tuning on sst2, seed 0 (the comparison uses seeds 1–3), 200 dev and 200
# test examples, 1500 steps for zeroth-order methods and 200 for first-order ones, five
# evaluations per run (so a mid-run blow-up is visible). Criterion: the dev cross-entropy at
# the end, and whether the run stayed stable. Options not given here come from
# MethodDefaults.lora. Writes out/lr-grid-lora/grid.csv (final and lowest dev loss per run).
# Usage: bash scripts/lr_grid_lora.sh   (release build; ≈ 20 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
Z=.build/release/zolab
OUT=out/lr-grid-lora
mkdir -p "$OUT"
echo "method,steps,options,final_dev_loss,lowest_dev_loss,final_dev_accuracy,status" > "$OUT/grid.csv"
run() {   # method steps option…
  local method=$1 steps=$2; shift 2
  local dir="$OUT/$method-$steps-$(echo "$*" | tr ' =' '_-')" status=0
  local extra=()
  for o in "$@"; do extra+=(--opt "$o"); done
  "$Z" finetune --optimizer "$method" --mode lora --task sst2 --seed 0 --steps "$steps" --quiet --force \
    --set dev_examples=200 --set test_examples=200 --set eval_every=$((steps / 5)) --set checkpoint_every=0 \
    "${extra[@]}" --out "$dir" > "$dir.log" 2>&1 || status=$?
  local row
  row=$(python3 - "$dir/metrics.jsonl" <<'PY' 2>/dev/null || echo "inf,inf,nan"
import json, sys
evals = [json.loads(l) for l in open(sys.argv[1]) if '"eval"' in l]
losses = [e["dev_loss"] for e in evals]
print(f"{losses[-1]},{min(losses)},{evals[-1]['dev_accuracy']}")
PY
)
  echo "$method,$steps,$*,$row,$status" | tee -a "$OUT/grid.csv"
}
run mezo 1500 lr=3e-3
run mezo 1500 lr=5e-3
run hizoo 1500 lr=3e-3
run hizoo-l 1500 lr=3e-3
run sparse-mezo 1500 lr=3e-3
run sparse-mezo 1500 lr=6e-3
run subzero 1500 lr=3e-3 z-scale=none
run subzero 1500 lr=3e-3 z-scale=reference
run subzero 1500 lr=3e-3 rank=8 reshape=adapters
run b-pdf 1500 lr=5e-3
run zo-adam 1500 lr=3e-4
run zo-adam 1500 lr=1e-3
run sgd 200 lr=1e-2
run adam 200 lr=1e-3
run adam 200 lr=3e-3

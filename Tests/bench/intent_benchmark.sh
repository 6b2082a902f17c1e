#!/usr/bin/env bash
# Measures Firstline's classifier against the peers (scikit-learn, fastText) on the same
# splits in one run, on a release build. Prints one JSON line per system and a table.
#
#   Tests/bench/intent_benchmark.sh [DATASET_DIR] [OOS_RECALL_TARGET]
#
# DATASET_DIR defaults to ../shared/datasets/clinc150 (train/val/test.jsonl); the target to 0.5.
# Needs: pip install scikit-learn fasttext-wheel (the peers); /usr/bin/time for peak memory.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${1:-../shared/datasets/clinc150}
target=${2:-0.5}
peers=../shared/peers/intent_peers.py
swift build -c release >/dev/null
out=$(mktemp -d)
for mode in threshold none; do
  args=(--train "$data/train.jsonl" --val "$data/val.jsonl" --test "$data/test.jsonl" --json)
  [ "$mode" = threshold ] && args+=(--oos-recall-target "$target")
  /usr/bin/time -v .build/release/firstline eval "${args[@]}" >"$out/firstline-$mode.json" 2>"$out/time-$mode.txt"
  rss=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$out/time-$mode.txt")
  python3 - "$out/firstline-$mode.json" "$mode" "$rss" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps({"peer": "firstline", "rejection": sys.argv[2], "train_s": d["train_s"], "us_per_msg": d["us_per_msg"],
                  "accuracy": d["accuracy"], "in_scope_accuracy": d["in_scope_accuracy"], "oos_recall": d["oos_recall"],
                  "macro_f1": d["macro_f1"], "peak_rss_mb": round(int(sys.argv[3]) / 1024, 1)}))
PY
done
if python3 -c "import sklearn, fasttext" 2>/dev/null; then
  python3 "$peers" --train "$data/train.jsonl" --val "$data/val.jsonl" --test "$data/test.jsonl" --oos-recall-target "$target" \
    | sed 's/^{/{"rejection": "threshold", /'
  python3 "$peers" --train "$data/train.jsonl" --val "$data/val.jsonl" --test "$data/test.jsonl" --peers sklearn \
    | sed 's/^{/{"rejection": "none", /'
else
  echo "peers skipped: pip install scikit-learn fasttext-wheel" >&2
fi
rm -rf "$out"

#!/usr/bin/env bash
# Gate for the bundled intents, run by CI on a release build:
#   - 5-fold cross-validation over the bundle's own examples: in-scope accuracy ≥ 95 per locale;
#   - messages written independently of the examples (independent.jsonl: 4 per intent and 20
#     out-of-scope per locale): accuracy ≥ 90 per locale, and every self-exclusion or
#     gambling-harm message recognised as responsible.self_exclusion.
# Do not add these test messages to the examples: they measure generalisation.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/firstline
here=Tests/IntentTests
$bin eval --intents Intents --folds 5 --json > /tmp/firstline-folds.json
$bin eval --intents Intents --test "$here/independent.jsonl" --json > /tmp/firstline-independent.json
grep '"responsible.self_exclusion"' "$here/independent.jsonl" > /tmp/firstline-harm.jsonl
$bin eval --intents Intents --test /tmp/firstline-harm.jsonl --json > /tmp/firstline-harm.json
python3 - <<'PY'
import json, sys
folds = json.load(open("/tmp/firstline-folds.json"))
independent = json.load(open("/tmp/firstline-independent.json"))
harm = json.load(open("/tmp/firstline-harm.json"))
failed = False
for lang, figures in sorted(folds["per_lang"].items()):
    ok = figures["in_scope_accuracy"] >= 95
    failed |= not ok
    print(f"5-fold {lang}: in-scope {figures['in_scope_accuracy']:.2f} {'ok' if ok else 'BELOW 95'}")
for lang, figures in sorted(independent["per_lang"].items()):
    ok = figures["accuracy"] >= 90
    failed |= not ok
    print(f"independent {lang}: accuracy {figures['accuracy']:.2f} {'ok' if ok else 'BELOW 90'}")
ok = harm["accuracy"] == 100
failed |= not ok
print(f"gambling harm recognised: {harm['accuracy']:.1f}% of {harm['count']} {'ok' if ok else 'MISSED SOME'}")
sys.exit(1 if failed else 0)
PY

#!/usr/bin/env bash
# Online against offline training of the built-in MLP surrogate (docs/online-vs-offline-mlp.md).
#
# Same network, optimiser, batch, number of gradient steps and validation members in every arm:
#   offline-small  the study's first OFFLINE_MEMBERS members, generated once in memory and read in epochs
#                  (stands in for "a dataset written by sluice export": see the doc)
#   online         `sluice launch` streams all the study's members into a Reservoir-policy server while
#                  `sluice train` pulls batches from it
#   offline-all    control: every member of the study, generated once in memory and read in epochs
#
# usage: ops/experiments/online-vs-offline-mlp.sh [OUT_DIR]
#   env: SLUICE_BIN (default .build/release/sluice, else .build/debug/sluice), STEPS (default 20000),
#        OFFLINE_MEMBERS (default 20), STUDY (default solvers/advection/surrogate-study.yaml)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-out/online-vs-offline-mlp}
BIN=${SLUICE_BIN:-}
if [[ -z "$BIN" ]]; then
  if [[ -x .build/release/sluice ]]; then BIN=.build/release/sluice; else BIN=.build/debug/sluice; fi
fi
STEPS=${STEPS:-20000}
OFFLINE_MEMBERS=${OFFLINE_MEMBERS:-20}
STUDY=${STUDY:-solvers/advection/surrogate-study.yaml}
MEMBERS=$(awk '/^members:/ {print $2}' "$STUDY")
COMMON=(--study "$STUDY" --steps "$STEPS" --batch-size 32 --hidden 256,256 --learning-rate 1e-3
        --validation-members 16 --validate-every 500 --seed 1 --plain)
rm -rf "$OUT" && mkdir -p "$OUT"
echo "binary $BIN; $STEPS steps per arm; study $STUDY ($MEMBERS members); offline-small: $OFFLINE_MEMBERS members"

# Online: a server that outlives the study (a launcher-owned server stops when the last member is done, and the
# trainer may still be stepping), the study's members launched against it, and the trainer pulling batches.
"$BIN" serve --solver-endpoint 'tcp://127.0.0.1:*' --consumer-endpoint 'tcp://127.0.0.1:*' \
  --control-endpoint 'tcp://127.0.0.1:*' --endpoint-file "$OUT/endpoints.json" --policy reservoir \
  --capacity 32MiB --watermark 256KiB --name online-vs-offline --log-level warning > "$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill -INT $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do [[ -s "$OUT/endpoints.json" ]] && break; sleep 0.1; done
endpoint() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$OUT/endpoints.json" "$1"; }
SOLVER=$(endpoint solver); CONSUMER=$(endpoint consumer); CONTROL=$(endpoint control)
# The same study, attached to that server (the case path made absolute).
python3 - "$STUDY" "$OUT/study-attached-study.yaml" "$SOLVER" "$CONTROL" "$CONSUMER" <<'PY'
import os, sys, yaml
study, out, solver, control, consumer = sys.argv[1:]
s = yaml.safe_load(open(study))
s["case"] = os.path.abspath(os.path.join(os.path.dirname(study), s["case"]))
s["server"] = {"solver_endpoint": solver, "control_endpoint": control, "consumer_endpoint": consumer}
yaml.safe_dump(s, open(out, "w"), sort_keys=False)
PY
"$BIN" launch "$OUT/study-attached-study.yaml" --work-dir "$OUT/launch" --plain > "$OUT/launch.log" 2>&1 &
LAUNCH=$!
/usr/bin/time -f "online wall %e s" "$BIN" train "${COMMON[@]}" --server "$CONSUMER" --control "$CONTROL" \
  --out "$OUT/online" | tee "$OUT/online.log" | grep -v '^step '
wait "$LAUNCH" || true
tail -n 1 "$OUT/launch.log"
kill -INT "$SERVER" 2>/dev/null || true
wait "$SERVER" || true

# Offline: fixed sets of members generated in memory, read in epochs.
/usr/bin/time -f "offline-small wall %e s" "$BIN" train "${COMMON[@]}" --offline-members "$OFFLINE_MEMBERS" \
  --out "$OUT/offline-small" | tee "$OUT/offline-small.log" | grep -v '^step '
/usr/bin/time -f "offline-all wall %e s" "$BIN" train "${COMMON[@]}" --offline-members "$MEMBERS" \
  --out "$OUT/offline-all" | tee "$OUT/offline-all.log" | grep -v '^step '

"$BIN" plot-history --out "$OUT/online-vs-offline-mlp.png" \
  --series "offline $OFFLINE_MEMBERS members=$OUT/offline-small/history.csv" \
  --series "online=$OUT/online/history.csv" \
  --series "offline $MEMBERS members=$OUT/offline-all/history.csv"
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
print(f"{'arm':<14} {'steps':>6} {'unique':>7} {'members':>7} {'reuse':>7} {'wall s':>7} {'wait %':>6} {'final val':>9} {'best val':>9}")
for arm in ["offline-small", "online", "offline-all"]:
    s = json.load(open(f"{out}/{arm}/summary.json"))
    print(f"{arm:<14} {s['steps']:>6} {s['unique_samples']:>7} {s['members']:>7} {s['mean_reuse']:>7.1f} {s['wall_seconds']:>7.1f} "
          f"{100 * s['wait_seconds'] / s['wall_seconds']:>6.1f} {s['final_validation_error']:>9.4f} {s['best_validation_error']:>9.4f}")
PY

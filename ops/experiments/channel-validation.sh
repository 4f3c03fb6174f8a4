#!/usr/bin/env bash
# The Re_tau 180 channel validation run of docs/validation/channel.md: the DNS case
# solvers/channel/re180-validation-fine.yaml (64 x 65 x 96 on 2 pi x 2 x pi) from a Reichardt profile with random
# perturbations, statistics from t = 12 h/u_tau, then the comparison with Moser, Kim & Mansour (1999).
#
# usage: ops/experiments/channel-validation.sh [OUT_DIR] [STEPS]
#   env: SLUICE_BIN (default .build/release/sluice), THREADS (default 2),
#        REFERENCE (default ../shared/reference/mkm_chan180_mean.tsv)
# The run writes its statistics every 500 steps and a checkpoint every 5000 (statistics included): stop it at
# any time and compare what it has (the second half of this script), or restart it from the checkpoint with
# `initial_condition: {kind: restart, path: ...}`. About 1 h 45 min for 45,000 steps (t = 45) on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=${1:-out/channel-validation}
STEPS=${2:-45000}
BIN=${SLUICE_BIN:-$ROOT/.build/release/sluice}
THREADS=${THREADS:-2}
REFERENCE=${REFERENCE:-$ROOT/../shared/reference/mkm_chan180_mean.tsv}
[[ "$BIN" = /* ]] || BIN=$ROOT/$BIN
mkdir -p "$OUT"
cp solvers/channel/re180-validation-fine.yaml "$OUT/"
cd "$OUT"
echo "channel validation: $STEPS steps with $THREADS threads in $OUT"
OPENBLAS_NUM_THREADS=$THREADS "$BIN" solve re180-validation-fine.yaml --member 0 --threads "$THREADS" --steps "$STEPS"
"$BIN" channel-stats re180-validation-fine-stats.h5 --reference "$REFERENCE" \
    --csv channel-re180-fine.csv --png channel-re180-fine.png

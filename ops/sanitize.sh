#!/usr/bin/env bash
# Runs the server, transport, client and end-to-end tests under AddressSanitizer and ThreadSanitizer.
#
#   ops/sanitize.sh            # both (each builds the package once into its own .build-SANITIZER, ~5-10 min)
#   ops/sanitize.sh address    # one of: address, thread
#
# End-to-end tests run the sanitized `sluice` binary built alongside. Exits non-zero on any test failure or
# sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
filter='ServerTests|TransportTests|ZeroMQTests|WireTests|EndToEndTests|ReservoirTests'
status=0
for sanitizer in ${1:-address thread}; do
    scratch=.build-$sanitizer
    log=$scratch-tests.log
    echo "[sanitize] $sanitizer: building (log: $log)"
    swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" >"$log" 2>&1 || { tail -20 "$log"; exit 1; }
    echo "[sanitize] $sanitizer: running $filter"
    export SLUICE_BIN="$PWD/$scratch/debug/sluice"
    # TSan: libzmq itself is not instrumented, so its internal synchronisation is invisible to TSan; suppress
    # reports whose stack is entirely inside libzmq.
    export TSAN_OPTIONS="suppressions=$PWD/ops/tsan.supp halt_on_error=0 second_deadlock_stack=1"
    export ASAN_OPTIONS="detect_leaks=0"
    if swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" --filter "$filter" >>"$log" 2>&1; then
        result="passed"
    else
        result="FAILED"; status=1
    fi
    reports=$(grep -cE "^(==[0-9]+==ERROR: AddressSanitizer|WARNING: ThreadSanitizer)" "$log" || true)
    echo "[sanitize] $sanitizer: tests $result, $reports sanitizer report(s); $(grep -E "Test run with" "$log" | tail -1)"
    [ "$reports" -eq 0 ] || status=1
done
exit $status

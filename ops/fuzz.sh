#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer) of the wire decoder or the config parser, with AddressSanitizer.
#
#   ops/fuzz.sh wire 600      # fuzz the wire decoder for 600 s, corpus seeded from schemas/wire/fixtures
#   ops/fuzz.sh config 300    # fuzz the server config parser (YAML/JSON) for 300 s
#
# Crashes land in .build-fuzz/crashes-TARGET/; copy each into schemas/wire/fixtures/regressions/ (wire) or
# Tests/SluiceConfigTests/regressions/ (config) so the regular test suite replays it. Prints executions and crashes.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-wire}"
seconds="${2:-60}"
case "$target" in wire|config) ;; *) echo "usage: ops/fuzz.sh wire|config SECONDS" >&2; exit 2 ;; esac

clang_rt=$(ls -d "$(dirname "$(readlink -f "$(command -v swiftc)")")"/../lib/clang/*/lib/linux 2>/dev/null | head -n1)
runtime="$clang_rt/libclang_rt.fuzzer_no_main-x86_64.a"
[ -f "$runtime" ] || { echo "fuzz.sh: libFuzzer runtime not found under $clang_rt" >&2; exit 1; }

# Coverage as libFuzzer expects it (-sanitize=fuzzer's own main would clash with the executable's entry point, so
# the harness calls LLVMFuzzerRunDriver from its main, and the no-main runtime is linked).
echo "[fuzz] building the harness with ASan and coverage (first build takes a few minutes)"
swift build -c release --product SluiceFuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
    -Xswiftc -DFUZZING -Xlinker "$runtime" -Xlinker -lstdc++ 2>&1 | grep -E "error|Compiling|Build" || true
binary=.build-fuzz/release/SluiceFuzz
[ -x "$binary" ] || { echo "fuzz.sh: build failed" >&2; exit 1; }

corpus=.build-fuzz/corpus-$target
crashes=.build-fuzz/crashes-$target
mkdir -p "$corpus" "$crashes"
if [ "$target" = wire ]; then
    cp schemas/wire/fixtures/*.bin "$corpus/"
    [ -d schemas/wire/fixtures/regressions ] && cp schemas/wire/fixtures/regressions/* "$corpus/" 2>/dev/null || true
else
    cp ops/config/*.yaml "$corpus/"
fi
log=.build-fuzz/fuzz-$target.log
echo "[fuzz] running $target for $seconds s (log: $log)"
set +e
SLUICE_FUZZ_TARGET=$target "$binary" -max_total_time="$seconds" -max_len=8192 -artifact_prefix="$crashes/" \
    -print_final_stats=1 "$corpus" >"$log" 2>&1
status=$?
set -e
runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' || echo "?")
found=$(find "$crashes" -type f | wc -l)
echo "[fuzz] $target: $runs executions in $seconds s, corpus $(ls "$corpus" | wc -l) inputs, $found crash file(s) in $crashes (exit $status)"
grep -E "stat::number_of_executed_units|stat::peak_rss_mb|ERROR:" "$log" || true

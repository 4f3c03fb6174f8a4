#!/usr/bin/env bash
# The whole test suite, as CI runs it: Swift tests (unit and end-to-end, real processes over tcp://127.0.0.1)
# and the Python tests (pytest) against the freshly built `sluice` binary.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

echo "[test] swift build"
swift build --build-tests
echo "[test] swift test"
swift test --skip-build
if compgen -G "clients/python/tests/*.py" >/dev/null || compgen -G "tests/python/*.py" >/dev/null; then
    echo "[test] pytest"
    export SLUICE_BIN="$PWD/.build/debug/sluice"
    # This checkout's Python client, whether or not ops/setup.sh installed it (PyTorch tests skip without torch).
    export PYTHONPATH="$PWD/clients/python${PYTHONPATH:+:$PYTHONPATH}"
    dirs=()
    [ -d clients/python/tests ] && dirs+=(clients/python/tests)
    [ -d tests/python ] && dirs+=(tests/python)
    python3 -m pytest -q "${dirs[@]}"
fi
echo "[test] all tests passed"

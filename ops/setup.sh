#!/usr/bin/env bash
# Installs everything Sluice needs on Debian 12 / Ubuntu 22.04+ (as root, or with sudo), idempotently:
# system libraries (libzmq, HDF5, OpenBLAS, LAPACKE, FFTW), Python packages for the tests and the Python client,
# and checks for a Swift 6 toolchain (installing the swift.org build for Debian 12 if none is found).
#
#   ops/setup.sh               install what is missing
#   ops/setup.sh --with-torch  also install PyTorch (CPU), matplotlib and The Well's loader (a few minutes); the
#                              Python client's PyTorch tests and the online-training example need them
#   ops/setup.sh --with-slurm  also install Slurm and munge (slurm-wlm, about 10 s) for `sluice launch --scheduler
#                              slurm` on a single-node cluster (ops/local-cluster.sh) and its end-to-end test
#   ops/setup.sh --check       only report what is missing; exit 1 if anything is
set -euo pipefail

with_torch=0
with_slurm=0
check_only=0
for arg in "$@"; do
    case "$arg" in
        --with-torch) with_torch=1 ;;
        --with-slurm) with_slurm=1 ;;
        --check) check_only=1 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    die "run as root or install sudo: system packages need root"
fi

apt_packages=(pkg-config libzmq3-dev libhdf5-dev libopenblas-dev liblapacke-dev libfftw3-dev python3 python3-pip
              curl ca-certificates)
if [ "$with_slurm" -eq 1 ]; then apt_packages+=(slurm-wlm munge); fi
python_packages=(numpy pyzmq h5py pytest pyyaml jsonschema)

missing_apt=()
for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing_apt+=("$p")
done

missing_py=()
py_module() { case "$1" in pyzmq) echo zmq ;; pyyaml) echo yaml ;; *) echo "$1" ;; esac; }
if command -v python3 >/dev/null; then
    for p in "${python_packages[@]}"; do
        python3 -c "import $(py_module "$p")" 2>/dev/null || missing_py+=("$p")
    done
else
    missing_py=("${python_packages[@]}")
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
# The Python client (clients/python) is installed in editable mode, so a fresh clone's tests and examples import
# this checkout's `sluice` package.
client_installed() {
    (cd / && python3 -c "import sluice, sys; sys.exit(0 if sluice.__file__.startswith('$repo/clients/python/') else 1)") \
        2>/dev/null
}

if [ "$check_only" -eq 1 ]; then
    status=0
    client_installed || { say "missing: the Python client (pip install -e clients/python)"; status=1; }
    [ ${#missing_apt[@]} -eq 0 ] || { say "missing system packages: ${missing_apt[*]}"; status=1; }
    [ ${#missing_py[@]} -eq 0 ] || { say "missing Python packages: ${missing_py[*]}"; status=1; }
    command -v swift >/dev/null || { say "missing: swift (Swift 6 toolchain)"; status=1; }
    [ $status -eq 0 ] && say "everything is installed"
    exit $status
fi

if [ ${#missing_apt[@]} -gt 0 ]; then
    say "installing system packages: ${missing_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq || die "apt-get update failed: check the network and /etc/apt/sources.list"
    $sudo apt-get install -y -qq "${missing_apt[@]}" >/dev/null \
        || die "apt-get install failed for: ${missing_apt[*]}"
else
    say "system packages: all present (${apt_packages[*]})"
fi
for pc in libzmq hdf5 openblas lapacke fftw3 fftw3f; do
    pkg-config --exists "$pc" || die "pkg-config cannot find '$pc' after installing; is this Debian 12 or Ubuntu 22.04+?"
done

pip_install() {
    # Debian's own Python refuses system-wide pip installs (PEP 668); pyenv and venv Pythons do not.
    if python3 -m pip install --help 2>/dev/null | grep -q -- '--break-system-packages' \
        && python3 -c 'import sys; sys.exit(0 if sys.prefix == sys.base_prefix else 1)' \
        && [ -e "$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')/EXTERNALLY-MANAGED" ]; then
        $sudo python3 -m pip install -q --break-system-packages "$@"
    else
        python3 -m pip install -q "$@"
    fi
}

if [ ${#missing_py[@]} -gt 0 ]; then
    say "installing Python packages: ${missing_py[*]}"
    pip_install "${missing_py[@]}" || die "pip install failed for: ${missing_py[*]}"
else
    say "Python packages: all present (${python_packages[*]})"
fi

if client_installed; then
    say "Python client: installed from clients/python"
else
    say "installing the Python client: pip install -e clients/python"
    pip_install -e "$repo/clients/python" || die "pip install -e clients/python failed"
fi

if [ "$with_torch" -eq 1 ]; then
    if python3 -c 'import torch, the_well, matplotlib' 2>/dev/null; then
        say "PyTorch, matplotlib and the-well: present"
    else
        say "installing PyTorch (CPU wheels) and the-well; this takes a few minutes"
        pip_install torch --index-url https://download.pytorch.org/whl/cpu 2>/dev/null || pip_install torch \
            || die "pip install torch failed"
        pip_install the-well matplotlib || die "pip install the-well failed"
    fi
fi

if ! command -v swift >/dev/null; then
    for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        [ -x "$candidate/swift" ] && { export PATH="$candidate:$PATH"; break; }
    done
fi
if ! command -v swift >/dev/null; then
    version=6.1.2
    url="https://download.swift.org/swift-${version}-release/debian12/swift-${version}-RELEASE/swift-${version}-RELEASE-debian12.tar.gz"
    say "no Swift toolchain found; downloading Swift ${version} for Debian 12 into /opt/swift"
    $sudo apt-get install -y -qq binutils git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev \
        libpython3-dev libsqlite3-0 libstdc++-12-dev libxml2-dev libz3-dev tzdata unzip zlib1g-dev >/dev/null \
        || die "could not install Swift's prerequisites"
    tmp=$(mktemp -d)
    curl -fsSL "$url" -o "$tmp/swift.tar.gz" || die "could not download $url; install Swift 6 from https://swift.org/install and re-run"
    $sudo mkdir -p /opt/swift && $sudo tar -xzf "$tmp/swift.tar.gz" -C /opt/swift --strip-components=1
    rm -rf "$tmp"
    export PATH="/opt/swift/usr/bin:$PATH"
    say "installed Swift into /opt/swift; add /opt/swift/usr/bin to your PATH"
fi
swift_version=$(swift --version 2>/dev/null | head -n1)
case "$swift_version" in
    *"version 6."*) say "swift: $swift_version" ;;
    *) die "Sluice needs Swift 6.0 or later; found: ${swift_version:-none}" ;;
esac
say "done"

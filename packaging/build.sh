#!/usr/bin/env bash
# Installs what is missing, then configures and builds with ccache.
#   packaging/build.sh            → build/      (RelWithDebInfo)
#   packaging/build.sh asan       → build-asan/ (ASan + UBSan, Debug)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
packaging/install-deps.sh
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
# Clones in other folders (CI) share cache hits: paths are hashed relative to the checkout, and
# the working directory that -g would add to the hash is left out.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"

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
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"

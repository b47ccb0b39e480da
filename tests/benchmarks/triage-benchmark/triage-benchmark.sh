#!/usr/bin/env bash
# One command: build and run the triage benchmark. Usage: triage-benchmark.sh [BUILD_DIR] [ARGS...]
set -euo pipefail
build=${1:-build}; shift || true
cmake --build "$build" --target triage-benchmark >/dev/null
exec "$build/bin/triage-benchmark" "$@"

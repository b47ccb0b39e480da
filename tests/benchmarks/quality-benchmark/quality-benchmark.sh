#!/usr/bin/env bash
# One command: build and run the offline quality benchmark (accuracy per class vs the naive rule,
# photos/s on 4032×3024 JPEGs). Usage: quality-benchmark.sh [BUILD_DIR] [ARGS...]
#   e.g. tests/benchmarks/quality-benchmark/quality-benchmark.sh build-quality --dump
# Exit status 0 when the targets are met (P >= 0.98, R >= 0.95, >= 40 photos/s).
set -euo pipefail
build=${1:-build}; shift || true
cmake --build "$build" --target quality-benchmark >/dev/null
exec "$build/bin/quality-benchmark" "$@"

#!/usr/bin/env bash
# Lambda cold start, one command: builds bootstrap and the benchmark, bundles bootstrap with
# lambda/bundle.sh into BUILD_DIR/lambda-bundle (again only when the binary changed), and measures
# N cold starts against the Runtime API and SSM fakes.
#   tests/benchmarks/lambda-coldstart/run.sh [BUILD_DIR] [--runs N]
# BUILD_DIR defaults to build/ (configure it first: cmake --preset default).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
build="$repo/build"
if [[ $# -gt 0 && "$1" != --* ]]; then
  build="$(cd "$1" && pwd)"
  shift
fi
cmake --build "$build" -j2 --target bootstrap lambda-coldstart-benchmark
bundle="$build/lambda-bundle"
if [[ ! -x "$bundle/bootstrap" || "$build/bin/bootstrap" -nt "$bundle/bin/bootstrap" ]]; then
  "$repo/lambda/bundle.sh" "$build/bin/bootstrap" "$bundle"
fi
exec "$build/bin/lambda-coldstart-benchmark" --bundle "$bundle" "$@"

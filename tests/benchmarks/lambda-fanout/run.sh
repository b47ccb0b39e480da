#!/usr/bin/env bash
# Lambda fan-out, one command: builds bootstrap and the benchmark, then triages N small objects
# (default 1,000) on s3rver with the fake Gemini answering in 1 s per request, once in a single
# invocation and fanned out with 1, 4 and 8 shards at a time, on the local Lambda stand-in.
#   tests/benchmarks/lambda-fanout/run.sh [BUILD_DIR] [--objects N] [--shard-items N] [--latency-ms N]
#                                         [--concurrency 1,4,8] [--runs N] [--logs DIR]
# BUILD_DIR defaults to build/ (configure it first: cmake --preset default).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
build="$repo/build"
if [[ $# -gt 0 && "$1" != --* ]]; then
  build="$(cd "$1" && pwd)"
  shift
fi
cmake --build "$build" -j2 --target bootstrap lambda-fanout-benchmark
exec "$build/bin/lambda-fanout-benchmark" "$@"

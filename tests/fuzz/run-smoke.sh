#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan + UBSan, build-fuzz/) and runs each
# for a fixed time. Fails on any crash, sanitizer report, timeout, leak or out-of-memory.
#   tests/fuzz/run-smoke.sh                      every target 20 s (CI)
#   tests/fuzz/run-smoke.sh --seconds 600        a campaign: every target 10 min
#   tests/fuzz/run-smoke.sh --targets "fuzz_iso6709 fuzz_s3_wire" --no-build
# Options: --seconds N, --targets "T...", --no-build, --max-seed-kb N (largest shared test file
# copied in as a seed; default 160), --timeout N (seconds one input may take; default 10, and 30
# for the media targets, where one input is opened three times by FFmpeg/libheif under ASan).
# The corpus grows in build-fuzz/fuzz-corpus/<target> (seeded from tests/fuzz/corpus and
# ../shared/testdata), so later runs start where earlier ones stopped; crashing inputs land in
# build-fuzz/fuzz-artifacts/<target>/, logs in build-fuzz/fuzz-logs/.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"

seconds=20
per_input_timeout=""
max_seed_kb=160
build=1
targets=""
while (($#)); do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --timeout) per_input_timeout=$2; shift 2 ;;
    --max-seed-kb) max_seed_kb=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run-smoke.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

all_targets="fuzz_heif_box_probe fuzz_heif_container fuzz_iso6709 fuzz_thumbnail_cache_png fuzz_response_parser fuzz_s3_wire
  fuzz_lambda_events fuzz_aws_config fuzz_media_jpeg fuzz_media_heic fuzz_media_mp4 fuzz_media_mov fuzz_raw_metadata"
targets=${targets:-$all_targets}

if ((build)); then
  export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
  export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
  export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
fi

bin=build-fuzz/bin
shared=$repo/../shared/testdata

# Shared test files that seed a target, by target: what the media paths read whole, and for the
# box probe only the heads of HEIF files, where its boxes are.
shared_seeds() {
  case "$1" in
    fuzz_media_jpeg) ls "$shared"/media/*.jpg ;;
    fuzz_media_heic|fuzz_heif_box_probe|fuzz_heif_container) ls "$shared"/media/*.heic ;;
    fuzz_media_mp4) ls "$shared"/media/*.mp4 ;;
    fuzz_media_mov) ls "$shared"/media/*.mov "$shared"/damaged/*.mov ;;
    fuzz_raw_metadata) ls "$shared"/raw/*.{cr2,cr3,dng,nef,raf,rw2} ;;
  esac 2>/dev/null || true
}

seed_corpus() {
  local target=$1 corpus=$2 f
  mkdir -p "$corpus"
  [[ -d tests/fuzz/corpus/$target ]] && cp -n tests/fuzz/corpus/"$target"/* "$corpus"/
  for f in $(shared_seeds "$target"); do
    if [[ $target == fuzz_heif_box_probe ]]; then
      head -c 16384 "$f" >"$corpus/head-$(basename "$f")"
    elif (($(stat -c %s "$f") <= max_seed_kb * 1024)); then
      cp -n "$f" "$corpus"/
    fi
  done
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
supp=$repo/tests/fuzz/lsan-third-party.supp
[[ -f $supp ]] && export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$supp:print_suppressions=0}
export QT_QPA_PLATFORM=offscreen

mkdir -p build-fuzz/fuzz-logs
failed=()
summary=()
for target in $targets; do
  corpus=build-fuzz/fuzz-corpus/$target
  artifacts=build-fuzz/fuzz-artifacts/$target
  log=build-fuzz/fuzz-logs/$target.log
  seed_corpus "$target" "$corpus"
  mkdir -p "$artifacts"
  echo "== $target: ${seconds}s"
  limit=${per_input_timeout:-10}
  [[ -z $per_input_timeout && $target == fuzz_media_* ]] && limit=30
  rc=0
  "$bin/$target" -max_total_time="$seconds" -timeout="$limit" -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  units=$(find "$corpus" -type f | wc -l)
  if ((rc != 0)); then
    kind=$(grep -Eo 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer): [a-zA-Z-]+|runtime error: .*|ALARM: working on the last Unit for [0-9]+ seconds' "$log" | head -1 || true)
    summary+=("$(printf '%-26s %10s execs %6s/s %5s units  FAIL (%s)' "$target" "${execs:-?}" "${rate:-?}" "$units" "${kind:-exit $rc}")")
    failed+=("$target")
    echo "-- $target failed (exit $rc); log $log, inputs in $artifacts:"
    grep -E -A25 'ERROR: |runtime error|ALARM' "$log" | head -60 || tail -40 "$log"
    ls -la "$artifacts"
  else
    summary+=("$(printf '%-26s %10s execs %6s/s %5s units  ok' "$target" "${execs:-?}" "${rate:-?}" "$units")")
  fi
done

echo
echo "== fuzz summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi

#!/usr/bin/env bash
# HEIC thumbnails at 1024 px: the product's HeifThumbnailer (heif-tiles-bench: grid tiles decoded
# by FFmpeg straight into the thumbnail, libheif as fallback) against `heif-thumbnailer -p -s 1024`
# (libheif; -p renders from the primary image, since the phones' embedded 320 px thumbnails are
# smaller than asked) on (a) the real phone HEICs of the shared test media and (b) a generated
# 200 MP grid (16320×12240, 768 tiles of 512 px, Samsung's 200 MP layout).
#
# Usage: tests/benchmarks/heif-tiles/run.sh [BUILD_DIR] [RUNS]
#   BUILD_DIR  holding bin/heif-tiles-bench and bin/mediatriage-cli (default: build)
#   RUNS       repetitions, medians reported (default 5)
#   BASELINE_CLI=/path/to/older/mediatriage-cli adds its `thumb --size 1024` on the 200 MP file.
# Fairness: one process per file for both tools, as many at once as there are cores (xargs -P);
# the 200 MP file alone, one process each. Every output is checked (exists, decodes, longest edge
# 1024); a failed run stops the benchmark and is never timed. Peak RSS: GNU time's maximum
# resident set of the largest process.
set -euo pipefail

here=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:-$here/build}
runs=${2:-5}
bench=$build/bin/heif-tiles-bench
cli=$build/bin/mediatriage-cli
jobs=$(nproc)
size=1024
for tool in "$bench" "$cli"; do [[ -x "$tool" ]] || { echo "missing $tool (cmake --build $build --target heif-tiles-bench mediatriage-cli)" >&2; exit 2; }; done
for tool in heif-thumbnailer identify ffmpeg python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done
media=${TMPDIR:-/tmp}/mediatriage-heif-tiles-bench
phones=()
for f in immich__IMG_2682 pillow_heif__arrow immich__samsung-one-ui-6 pillow_heif__xiaomi; do
  phones+=("$here/../shared/testdata/media/$f.heic")
done
big=$media/grid-200mp.heic
if [[ ! -s $big ]]; then
  echo "Generating the 200 MP grid HEIC in $media (once, about a minute)..." >&2
  mkdir -p "$media"
  python3 "$here/tests/fixtures/make-heif-grid.py" "$big" 16320 12240 --crf 22 \
    --source "testsrc2=s=SIZE:r=1:d=1,noise=alls=25:allf=t+u"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/heif-tiles-run.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() { echo "FAILED: $*" >&2; exit 1; }

# check_outputs DIR FILE...: one PNG per input whose longest edge is $size (or the source's).
check_outputs() {
  local dir=$1; shift
  for f in "$@"; do
    local png=$dir/$(basename "$f").png
    [[ -s $png ]] || fail "no thumbnail for $f"
    local dims; dims=$(identify -format '%w %h' "$png" 2>/dev/null) || fail "$png does not decode"
    read -r w h <<<"$dims"
    (( (w > h ? w : h) == size )) || fail "$png is ${w}x${h}, not $size px"
  done
}

# One tool per file, all files at once over $jobs processes, each wrapped in GNU time.
run_set() { # NAME FILE... ; prints "seconds peak_kb"
  local name=$1; shift
  local out=$work/$name; rm -rf "$out"; mkdir -p "$out"
  local start end
  start=$(date +%s.%N)
  printf '%s\n' "$@" | xargs -P "$jobs" -I{} bash -c '
    name=$0 out=$1 bench=$2 size=$3 f=$4
    rss=$out/$(basename "$f").rss
    if [[ $name == ours ]]; then
      /usr/bin/time -f %M -o "$rss" "$bench" "$size" "$out" "$f"
    elif [[ $name == cli ]]; then
      /usr/bin/time -f %M -o "$rss" "$5" thumb --size "$size" --out "$out" "$f" >/dev/null
    else
      /usr/bin/time -f %M -o "$rss" heif-thumbnailer -p -s "$size" "$f" "$out/$(basename "$f").png"
    fi' "$name" "$out" "$bench" "$size" {} "${CLI_UNDER_TEST:-$cli}" || fail "$name exited with an error"
  end=$(date +%s.%N)
  check_outputs "$out" "$@"
  echo "$(echo "$end - $start" | bc) $(cat "$out"/*.rss | sort -n | tail -1)"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

measure() { # LABEL NAME FILE... → one table row
  local label=$1 name=$2; shift 2
  local times=() peak=0
  for ((i = 0; i < runs; i++)); do
    read -r t kb < <(run_set "$name" "$@")
    times+=("$t"); (( kb > peak )) && peak=$kb
  done
  local med; med=$(printf '%s\n' "${times[@]}" | median)
  printf '%-36s %9.2f s %9d MB\n' "$label" "$med" $((peak / 1024))
  echo "$med" > "$work/median.$label"
}

ratio() { echo "scale=2; $(cat "$work/median.$2") / $(cat "$work/median.$1")" | bc; }

echo "HEIC thumbnails at $size px, medians of $runs runs, $jobs parallel processes per set"
printf '%-36s %11s %12s\n' "" "wall" "peak RSS"
measure phones-ours ours "${phones[@]}"
measure phones-heif-thumbnailer ref "${phones[@]}"
measure 200mp-ours ours "$big"
measure 200mp-heif-thumbnailer ref "$big"
measure 200mp-mediatriage-cli cli "$big"
if [[ -n ${BASELINE_CLI:-} ]]; then
  CLI_UNDER_TEST=$BASELINE_CLI measure 200mp-baseline-cli cli "$big"
fi
echo "speed-up over heif-thumbnailer: phones $(ratio phones-ours phones-heif-thumbnailer)x, 200 MP $(ratio 200mp-ours 200mp-heif-thumbnailer)x"

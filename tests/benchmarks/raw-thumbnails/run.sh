#!/usr/bin/env bash
# RAW thumbnail benchmark: `mediatriage-cli thumb` (cold shared cache) against the per-file tools
# a user would otherwise run, on generated phone-like DNGs (build/bin/make-bench-dng, libtiff):
#   - with an embedded JPEG preview (iPhone ProRAW layout: full-size JPEG in a SubIFD; Android
#     app layout: 2048 px JPEG in IFD0), 12 and 48 MP, CFA and LinearRaw:
#     ours vs `exiftool -b -PreviewImage` per file, `simple_dcraw -e` per file (LibRaw's sample
#     for dcraw -e: Debian 12's dcraw_emu 0.20 has no -e) and one `exiftool` over the folder;
#   - without a preview (only a real decode gives a picture), 12 and 48 MP:
#     ours vs `dcraw_emu -h` (LibRaw half-size decode) per file;
#   - peak memory of one ~100 MP DNG without a preview at 1024 px: ours vs `dcraw_emu -h`.
#
# Usage: tests/benchmarks/raw-thumbnails/run.sh [BUILD_DIR] [RUNS] [SIZE]
#   BUILD_DIR  with bin/mediatriage-cli and bin/make-bench-dng (default: build)
#   RUNS       repetitions per measurement, medians reported (default 3)
#   SIZE       thumbnail size asked of ours (default 256, the app's grid)
# The DNGs are generated once under ${TMPDIR:-/tmp}/mediatriage-raw-bench-<recipe> (~1.5 GB) and
# reused. Reference tools run as many processes at a time as there are cores (xargs -P), as our
# CLI uses every core. Every run's output is checked (one picture per file, it decodes, its size
# is plausible; ours: no error in --json); a tool that fails stops the benchmark, never timed.
# Needs: exiftool, libraw-bin (dcraw_emu, simple_dcraw), ImageMagick (identify), GNU time.
set -euo pipefail

here=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:-$here/build}
runs=${2:-3}
size=${3:-256}
cli=$build/bin/mediatriage-cli
gen=$build/bin/make-bench-dng
for f in "$cli" "$gen"; do
  [[ -x "$f" ]] || { echo "$f not found: build the mediatriage-cli and make-bench-dng targets" >&2; exit 2; }
done
for tool in exiftool dcraw_emu simple_dcraw identify /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool (packaging/install-deps.sh --bench)" >&2; exit 2; }
done
jobs=$(nproc)

recipe=1
media=${TMPDIR:-/tmp}/mediatriage-raw-bench-$recipe
work=$(mktemp -d "${TMPDIR:-/tmp}/raw-bench-run.XXXXXX")
trap 'rm -rf "$work"' EXIT

generate() {
  echo "Generating benchmark DNGs in $media (once)..." >&2
  rm -rf "$media"
  mkdir -p "$media"/{preview,raw,large}
  local i
  for i in 1 2 3 4 5 6; do "$gen" "$media/preview/PRORAW_12MP_$i.dng" 4032 3024 cfa subifd 0 "$i"; done
  for i in 1 2 3 4; do "$gen" "$media/preview/ANDROID_12MP_LINEAR_$i.dng" 4032 3024 linear ifd0 2048 "$((10 + i))"; done
  for i in 1 2; do "$gen" "$media/preview/PRORAW_48MP_$i.dng" 8064 6048 cfa subifd 4032 "$((20 + i))"; done
  for i in 1 2 3 4; do "$gen" "$media/raw/CFA_12MP_$i.dng" 4032 3024 cfa none 0 "$((30 + i))"; done
  for i in 1 2; do "$gen" "$media/raw/LINEAR_12MP_$i.dng" 4032 3024 linear none 0 "$((40 + i))"; done
  for i in 1 2; do "$gen" "$media/raw/CFA_48MP_$i.dng" 8064 6048 cfa none 0 "$((50 + i))"; done
  "$gen" "$media/large/CFA_100MP.dng" 12288 8192 cfa none 0 61
  echo "$recipe" > "$media/.stamp"
}
[[ -f "$media/.stamp" && "$(cat "$media/.stamp")" == "$recipe" ]] || generate

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
fail() { echo "FAILED: $*" >&2; exit 1; }
count() { ls "$media/$1" | wc -l; }

# check_pictures N MIN MAX FILE...: N files, each decodes completely, long edge within [MIN, MAX].
check_pictures() {
  local n=$1 min=$2 max=$3; shift 3
  (( $# == n )) || fail "expected $n pictures, found $# (${1:-none})"
  identify -regard-warnings -format '%w %h\n' "$@" > "$work/sizes" 2>"$work/identify.err" ||
    { cat "$work/identify.err" >&2; fail "a picture does not decode"; }
  awk -v n="$n" -v lo="$min" -v hi="$max" '{ e = $1 > $2 ? $1 : $2 } e >= lo && e <= hi && $1 > 0 && $2 > 0 { ok++ }
    END { exit ok != n }' "$work/sizes" || fail "a picture's size is implausible (want $min..$max px): $(sort -u "$work/sizes" | tr '\n' ' ')"
}
# Ours prints a JSON entry per input (--json): no error, a thumbnail file, at the size asked.
check_ours() { # N SIZE
  python3 - "$work/stdout" "$1" "$2" > "$work/thumbs" <<'PY' || fail "mediatriage-cli thumb output is incomplete"
import json, os, sys
entries, n, size = json.load(open(sys.argv[1], encoding="utf-8")), int(sys.argv[2]), int(sys.argv[3])
bad = [e for e in entries if e.get("error") or not os.path.isfile(e.get("thumbnail") or "")
       or max(e.get("width", 0), e.get("height", 0)) != size]
if len(entries) != n or bad:
    sys.exit(f"{len(entries)} entries for {n} files; {len(bad)} bad, e.g. {bad[:1]}")
for e in entries:
    print(e["thumbnail"])
PY
  local thumbs; mapfile -t thumbs < "$work/thumbs"
  check_pictures "$1" "$2" "$2" "${thumbs[@]}"
}
# The references write one picture per input into $work/out (or next to its link in $work/in).
check_out() { # N MIN MAX GLOB
  shopt -s nullglob; local f=($4); shopt -u nullglob
  check_pictures "$1" "$2" "$3" "${f[@]}"
}

# run KEY CHECK... -- COMMAND...: RUNS times with fresh output folders and a cold cache; every
# run's output is checked; records the median wall time in wall[KEY], the peak RSS in rss[KEY].
declare -A wall rss
run() {
  local key=$1; shift
  local check=()
  while [[ $1 != -- ]]; do check+=("$1"); shift; done
  shift
  local walls=() peak=0 w r rc i
  for ((i = 0; i < runs; i++)); do
    rm -rf "$work/out" "$work/in" "$work/xdg"; mkdir -p "$work/out" "$work/in" "$work/xdg"
    rc=0
    XDG_CACHE_HOME="$work/xdg" /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?
    (( rc == 0 )) || { tail -n 20 "$work/stderr" >&2; fail "$key: $* exited with $rc"; }
    "${check[@]}" || fail "$key: the output check failed"
    read -r w r < <(tail -n 1 "$work/time")
    walls+=("$w")
    (( r > peak )) && peak=$r
  done
  wall[$key]=$(printf '%s\n' "${walls[@]}" | median)
  rss[$key]=$peak
}

# Per-file references, $jobs at a time. LibRaw's tools write next to their input: they get links.
ref_exiftool() { ls "$media/$1"/* | xargs -P "$jobs" -I{} sh -c 'exiftool -b -PreviewImage "$1" > "$2/out/$(basename "$1").jpg"' _ {} "$work"; }
ref_exiftool_once() { exiftool -q -b -PreviewImage -w "$work/out/%f.jpg" "$media/$1"; }
ref_libraw() { # DIR TOOL ARGS...
  local dir=$1; shift
  ln -s "$media/$dir"/* "$work/in/"
  ls "$work/in"/*.dng | xargs -P "$jobs" -n 1 "$@"
}
export -f ref_exiftool ref_exiftool_once ref_libraw; export media work jobs

np=$(count preview) nr=$(count raw)
echo "mediatriage RAW thumbnail benchmark: $np DNGs with a JPEG preview, $nr without; ours at ${size}px;"
echo "$runs runs each (medians); $jobs cores; media: $media"
echo

run ours_preview check_ours "$np" "$size" -- "$cli" thumb --json --size "$size" "$media/preview"
run exiftool_preview check_out "$np" 2048 8064 "$work/out/*.jpg" -- bash -c "ref_exiftool preview"
run exiftool_once check_out "$np" 2048 8064 "$work/out/*.jpg" -- bash -c "ref_exiftool_once preview"
run simple_dcraw check_out "$np" 2048 8064 "$work/in/*.thumb.jpg" -- bash -c "ref_libraw preview simple_dcraw -e"
run ours_raw check_ours "$nr" "$size" -- "$cli" thumb --json --size "$size" "$media/raw"
run dcraw_half check_out "$nr" 2016 4032 "$work/in/*.ppm" -- bash -c "ref_libraw raw dcraw_emu -h"
# One ~100 MP RAW without a preview, asked for at 1024 px (the issue's bounded-memory case).
run ours_large check_ours 1 1024 -- "$cli" thumb --json --size 1024 "$media/large"
run dcraw_large check_out 1 6144 6144 "$work/in/*.ppm" -- bash -c "ref_libraw large dcraw_emu -h"

rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", (t > 0 ? n / t : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
row() { printf '%-50s %6s %8s %9s %9s\n' "$@"; }
line() { row "$1" "$2" "${wall[$3]}" "$(rate "$2" "${wall[$3]}")" "$(mb "${rss[$3]}")"; }
row "tool (set)" files "wall s" "files/s" "peak MB"
line "mediatriage-cli thumb (with preview)" "$np" ours_preview
line "exiftool -b -PreviewImage per file" "$np" exiftool_preview
line "exiftool -b -PreviewImage, one process" "$np" exiftool_once
line "simple_dcraw -e per file (LibRaw dcraw -e)" "$np" simple_dcraw
line "mediatriage-cli thumb (no preview)" "$nr" ours_raw
line "dcraw_emu -h per file (no preview)" "$nr" dcraw_half
line "mediatriage-cli thumb 1024px (100 MP, no preview)" 1 ours_large
line "dcraw_emu -h (100 MP, no preview)" 1 dcraw_large
echo
echo "Speed-up (reference wall / our wall; >1 means we are faster):"
printf '  with preview vs exiftool per file:   %sx\n' "$(ratio "${wall[exiftool_preview]}" "${wall[ours_preview]}")"
printf '  with preview vs exiftool, one process: %sx\n' "$(ratio "${wall[exiftool_once]}" "${wall[ours_preview]}")"
printf '  with preview vs simple_dcraw -e:     %sx\n' "$(ratio "${wall[simple_dcraw]}" "${wall[ours_preview]}")"
printf '  no preview vs dcraw_emu -h:          %sx\n' "$(ratio "${wall[dcraw_half]}" "${wall[ours_raw]}")"
printf '  100 MP at 1024 px: ours %s MB peak (target < 300), dcraw_emu -h %s MB\n' \
  "$(mb "${rss[ours_large]}")" "$(mb "${rss[dcraw_large]}")"

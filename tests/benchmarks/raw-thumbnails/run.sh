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
source "$here/tests/benchmarks/bench-lib.sh"
require_tools exiftool dcraw_emu simple_dcraw identify /usr/bin/time
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

run ours_preview check_ours "$np" "$size" "$size" -- "$cli" thumb --json --size "$size" "$media/preview"
run exiftool_preview check_out "$np" 2048 8064 "$work/out/*.jpg" -- bash -c "ref_exiftool preview"
run exiftool_once check_out "$np" 2048 8064 "$work/out/*.jpg" -- bash -c "ref_exiftool_once preview"
run simple_dcraw check_out "$np" 2048 8064 "$work/in/*.thumb.jpg" -- bash -c "ref_libraw preview simple_dcraw -e"
run ours_raw check_ours "$nr" "$size" "$size" -- "$cli" thumb --json --size "$size" "$media/raw"
run dcraw_half check_out "$nr" 2016 4032 "$work/in/*.ppm" -- bash -c "ref_libraw raw dcraw_emu -h"
# One ~100 MP RAW without a preview, asked for at 1024 px (the issue's bounded-memory case).
run ours_large check_ours 1 1024 1024 -- "$cli" thumb --json --size 1024 "$media/large"
run dcraw_large check_out 1 6144 6144 "$work/in/*.ppm" -- bash -c "ref_libraw large dcraw_emu -h"

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

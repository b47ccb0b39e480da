#!/usr/bin/env bash
# Metadata benchmark: items/second of `mediatriage-cli info --json` against
#   (a) the per-file process approach: `exiftool -j` per photo, `ffprobe ... -show_format -show_streams` per video
#   (b) `exiftool -j` over the whole folder in one process.
# exiftool runs with -fast2 (its fastest mode: no maker notes, no trailer scan), as our reader reads
# neither. Every run's answers are checked: one item per file, none with an error; a tool that
# fails stops the benchmark.
# Usage: tests/benchmarks/metadata-benchmark.sh [BUILD_DIR] [ITEMS]   (defaults: build, 150)
# All three read the same generated folder in the same run; figures are medians of several runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
items=${2:-150}
cli="$build/bin/mediatriage-cli"
[[ -x "$cli" ]] || { echo "build first: packaging/build.sh" >&2; exit 2; }
for t in exiftool ffprobe ffmpeg heif-enc convert; do
  command -v $t >/dev/null || { echo "missing $t: packaging/install-deps.sh" >&2; exit 2; }
done

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
seeds=$work/seeds; dir=$work/media; mkdir -p "$seeds" "$dir"
ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
echo "generating $items items..."
# Phone-like seeds: 12 MP JPEG with full EXIF+GPS, a smaller PNG, a HEIC with EXIF, MOV/MP4 with phone tags.
convert -size 4032x3024 plasma:fractal -quality 85 "$seeds/a.jpg"
exiftool -q -overwrite_original -Make=Apple -Model="iPhone 13" -DateTimeOriginal="2024:05:01 10:00:00" \
  -OffsetTimeOriginal=+02:00 -ISO=50 -FNumber=1.6 -ExposureTime=0.002 -FocalLength=5.1 -Orientation#=6 \
  -GPSLatitude=46.5 -GPSLatitudeRef=N -GPSLongitude=8.5 -GPSLongitudeRef=E "$seeds/a.jpg"
convert -size 1600x1200 plasma:fractal "$seeds/b.png"
convert -size 1024x768 plasma:fractal "$seeds/c.jpg"
heif-enc -q 40 "$seeds/c.jpg" -o "$seeds/d.heic" >/dev/null
ff -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine -t 3 -c:v libx264 -preset ultrafast -c:a aac \
  -movflags use_metadata_tags -metadata com.apple.quicktime.location.ISO6709=+37.7858-122.4064+012.345/ \
  -metadata com.apple.quicktime.make=Apple -metadata com.apple.quicktime.model="iPhone 13" "$seeds/e.mov"
ff -f lavfi -i testsrc2=size=1920x1080:rate=30 -f lavfi -i sine -t 3 -c:v libx265 -preset ultrafast -x265-params log-level=error -tag:v hvc1 -c:a aac \
  -metadata location=+33.9951-118.4762/ "$seeds/f.mp4"
kinds=(a.jpg b.png c.jpg d.heic e.mov f.mp4 a.jpg c.jpg)   # about 3 photos per video, as on a phone
for ((i = 1; i <= items; i++)); do
  s=${kinds[$((i % ${#kinds[@]}))]}
  cp "$seeds/$s" "$dir/IMG_$(printf %04d $i).${s#*.}"
done
photos=$(find "$dir" -name '*.jpg' -o -name '*.png' -o -name '*.heic' | wc -l)
videos=$((items - photos))

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
fail() { echo "FAILED: $*" >&2; exit 1; }
# timeit TIMES OUT CMD...: runs CMD with stdout to OUT, appends its wall seconds to TIMES. A tool
# that fails stops the benchmark (with its error output); it is never timed as fast.
timeit() {
  local times=$1 out=$2; shift 2
  local t0 rc=0; t0=$(now)
  "$@" >"$out" 2>"$work/stderr" || rc=$?
  (( rc == 0 )) || { cat "$work/stderr" >&2; fail "$* exited with $rc"; }
  echo "$(now) - $t0" | bc -l >> "$times"
}
# The per-file approach: one process per item, each answer kept for the checks below.
per_file() {
  local f n=0
  rm -rf "$work/pf"; mkdir "$work/pf"
  for f in "$dir"/*; do
    n=$((n + 1))
    case "$f" in
      *.mov|*.mp4) ffprobe -v quiet -print_format json -show_format -show_streams "$f" > "$work/pf/$n.json" || return 1 ;;
      *) exiftool -fast2 -j "$f" > "$work/pf/$n.json" || return 1 ;;
    esac
  done
}
# count_json FILE KIND: items in a JSON answer; fails on items that report an error.
count_json() {
  python3 - "$1" "$2" <<'PY'
import json, sys
path, kind = sys.argv[1], sys.argv[2]
data = json.load(open(path, encoding="utf-8"))
bad = [d for d in data if (kind == "ours" and d.get("error")) or (kind == "exiftool" and d.get("Error"))]
if bad:
    sys.exit(f"{path}: {len(bad)} item(s) with an error, e.g. {json.dumps(bad[0])[:300]}")
print(len(data))
PY
}
# check_per_file: one parsable answer per item, a video stream for each video, no exiftool Error.
check_per_file() {
  python3 - "$work/pf" <<'PY'
import json, os, sys
folder = sys.argv[1]
n = 0
for name in os.listdir(folder):
    data = json.load(open(os.path.join(folder, name), encoding="utf-8"))
    if isinstance(data, list):
        if len(data) != 1 or data[0].get("Error"):
            sys.exit(f"per-file exiftool answer {name} is not one clean item: {json.dumps(data)[:300]}")
    elif not any(s.get("codec_type") == "video" for s in data.get("streams", [])):
        sys.exit(f"per-file ffprobe answer {name} has no video stream")
    n += 1
print(n)
PY
}

cat "$dir"/* >/dev/null   # warm the page cache for everyone alike
runs=${RUNS:-5}
: > "$work/ours.t"; : > "$work/single.t"; : > "$work/perfile.t"
for ((r = 0; r < runs; r++)); do   # interleaved, so load from others hits all alike
  timeit "$work/ours.t" "$work/ours.json" "$cli" info --json "$dir"
  timeit "$work/single.t" "$work/single.json" exiftool -fast2 -j "$dir"
  n=$(count_json "$work/ours.json" ours); [[ $n == "$items" ]] || fail "mediatriage-cli info described $n of $items items"
  n=$(count_json "$work/single.json" exiftool); [[ $n == "$items" ]] || fail "exiftool -j described $n of $items items"
  if (( r < 3 )); then
    timeit "$work/perfile.t" /dev/null per_file
    n=$(check_per_file); [[ $n == "$items" ]] || fail "the per-file tools described $n of $items items"
  fi
done
mapfile -t ours < "$work/ours.t"; mapfile -t single < "$work/single.t"; mapfile -t perfile < "$work/perfile.t"
m_ours=$(printf '%s\n' "${ours[@]}" | median)
m_single=$(printf '%s\n' "${single[@]}" | median)
m_perfile=$(printf '%s\n' "${perfile[@]}" | median)
rate() { echo "$items / $1" | bc -l; }
printf '\nmetadata benchmark: %d items (%d photos, %d videos), %s cores, median of %d runs (%d for per-file)\n' \
  "$items" "$photos" "$videos" "$(nproc)" "$runs" "${#perfile[@]}"
printf '%-50s %9s %12s %10s\n' "approach" "wall s" "items/s" "ours is"
printf '%-50s %9.3f %12.1f %10s\n' "mediatriage-cli info --json" "$m_ours" "$(rate "$m_ours")" "1.0x"
printf '%-50s %9.3f %12.1f %9.1fx\n' "per-file exiftool -fast2 -j / ffprobe (each)" "$m_perfile" "$(rate "$m_perfile")" "$(echo "$m_perfile / $m_ours" | bc -l)"
printf '%-50s %9.3f %12.1f %9.1fx\n' "exiftool -fast2 -j over the folder (one process)" "$m_single" "$(rate "$m_single")" "$(echo "$m_single / $m_ours" | bc -l)"
echo "targets: >= 20x the per-file approach, > 1x single-process exiftool"

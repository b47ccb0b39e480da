#!/usr/bin/env bash
# Thumbnail benchmark: mediatriage-cli thumb (size 256, cold shared cache) against the per-file
# tools a user would otherwise run: vipsthumbnail (JPEG), heif-thumbnailer (HEIC),
# ffmpegthumbnailer (video) and `ffmpeg -ss … -frames:v 1` per file (the original system's
# approach; FFmpeg 5.1 cannot read HEIC, so it is compared on JPEG + video). Then warm-cache
# thumbnails per second over 2,000 files.
#
# Usage: tests/benchmarks/thumbnail-benchmark.sh [CLI] [RUNS]
#   CLI   path to mediatriage-cli (default: build-thumbs/bin, build/bin)
#   RUNS  repetitions per measurement, medians reported (default 5)
# The media folder is generated once under ${TMPDIR:-/tmp}/mediatriage-thumb-bench-<recipe> and
# reused. Reference tools run with as many parallel processes as cores (xargs -P), as our CLI
# uses every core too. ffmpeg gets the same shortcuts we take: a key-frame seek for video and a
# DCT-scaled decode (-lowres) for JPEG. Every run's output is checked (one thumbnail per file,
# decodable, within the size; ours: no error in --json); a tool that fails stops the benchmark
# (the timing loop and the checks: bench-lib.sh).
# Needs: ffmpeg, heif-enc, exiftool, ImageMagick (identify), libvips-tools, heif-thumbnailer,
# ffmpegthumbnailer, GNU time (packaging/install-deps.sh --bench).
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cli=${1:-}
if [[ -z "$cli" ]]; then
  for c in "$here/build-thumbs/bin/mediatriage-cli" "$here/build/bin/mediatriage-cli"; do
    [[ -x "$c" ]] && cli=$c && break
  done
fi
[[ -x "$cli" ]] || { echo "mediatriage-cli not found; pass its path" >&2; exit 2; }
runs=${2:-5}
jobs=$(nproc)
size=256
shared_media="$here/../shared/testdata/media"
source "$here/tests/benchmarks/bench-lib.sh"
require_tools ffmpeg ffprobe heif-enc exiftool identify vipsthumbnail heif-thumbnailer ffmpegthumbnailer /usr/bin/time

recipe=3
media=${TMPDIR:-/tmp}/mediatriage-thumb-bench-$recipe
work=$(mktemp -d "${TMPDIR:-/tmp}/thumb-bench-run.XXXXXX")
trap 'rm -rf "$work"' EXIT

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }

generate() {
  echo "Generating benchmark media in $media (once)..." >&2
  rm -rf "$media"
  mkdir -p "$media"/{jpeg,heic,video,warm}
  cd "$media"
  # 40 JPEGs: camera-like noise so files are realistically large, three phone sizes.
  local src="testsrc2=r=1,noise=alls=12:allf=t+u"
  ff -f lavfi -i "${src/r=1/s=4032x3024:r=1}" -frames:v 20 -q:v 3 jpeg/IMG_4032_%02d.jpg
  ff -f lavfi -i "${src/r=1/s=3264x2448:r=1}" -frames:v 10 -q:v 3 jpeg/IMG_3264_%02d.jpg
  ff -f lavfi -i "${src/r=1/s=1920x1080:r=1}" -frames:v 10 -q:v 3 jpeg/IMG_1920_%02d.jpg
  # Half of the large ones are portrait shots (EXIF Orientation 6), as phones write them.
  exiftool -q -overwrite_original -n -Orientation=6 jpeg/IMG_4032_0*.jpg
  # HEIC: two generated with 320 px thumbnail items like phones (one 4032×3024), plus the real
  # iPhone 7 / iPhone 8 Plus / Samsung / Xiaomi grid files from the shared test media.
  heif-enc -q 60 -t 320 -p preset=ultrafast jpeg/IMG_4032_15.jpg -o heic/GEN_4032.heic >/dev/null
  heif-enc -q 60 -t 320 -p preset=ultrafast jpeg/IMG_1920_01.jpg -o heic/GEN_1920.heic >/dev/null
  for f in immich__IMG_2682 pillow_heif__arrow immich__samsung-one-ui-6 pillow_heif__xiaomi; do
    cp "$shared_media/$f.heic" heic/
  done
  # Videos: 4K H.264, 1080p HEVC, portrait 1080p (display matrix), 720p long GOP, a 1.5 s
  # HEVC Live Photo, 10-bit HEVC.
  local v="testsrc2=r=30,noise=alls=8:allf=t+u"
  ff -f lavfi -i "${v/r=30/s=3840x2160:r=30:d=5}" -c:v libx264 -preset veryfast -pix_fmt yuv420p video/4k_h264.mp4
  ff -f lavfi -i "${v/r=30/s=1920x1080:r=30:d=5}" -c:v libx265 -preset ultrafast -tag:v hvc1 -pix_fmt yuv420p \
    -x265-params log-level=error video/1080p_hevc.mov
  ff -f lavfi -i "${v/r=30/s=1920x1080:r=30:d=8}" -c:v libx264 -preset veryfast -pix_fmt yuv420p "$work/p.mp4"
  ff -i "$work/p.mp4" -c copy -metadata:s:v:0 rotate=270 video/portrait_1080p.mp4
  ff -f lavfi -i "${v/r=30/s=1280x720:r=30:d=20}" -c:v libx264 -preset veryfast -g 600 -pix_fmt yuv420p video/720p_longgop.mp4
  ff -f lavfi -i "${v/r=30/s=1440x1080:r=30:d=1.5}" -c:v libx265 -preset ultrafast -tag:v hvc1 -pix_fmt yuv420p \
    -x265-params log-level=error video/live_photo.mov
  ff -f lavfi -i "${v/r=30/s=1920x1080:r=30:d=4}" -c:v libx265 -preset ultrafast -tag:v hvc1 -pix_fmt yuv420p10le \
    -x265-params log-level=error video/hdr10_1080p.mov
  # Warm-cache set: 2,000 distinct small photos (the cache is keyed by path).
  ff -f lavfi -i "testsrc2=s=800x600:r=1" -frames:v 1 -q:v 4 "$work/w.jpg"
  for i in $(seq -w 1 2000); do cp "$work/w.jpg" "warm/W_$i.jpg"; done
  cd - >/dev/null
  echo "$recipe" > "$media/.stamp"
}
[[ -f "$media/.stamp" && "$(cat "$media/.stamp")" == "$recipe" ]] || generate

# Untimed per-file facts the ffmpeg reference needs to do no more work than we do (probing favours
# ffmpeg): the 10% seek position of each video, and for each JPEG the largest -lowres (DCT scaling
# in the decoder, as our scaled decode does) that still leaves the long edge at least $size.
declare -A seek lowres
for f in "$media"/video/*; do
  d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$f")
  seek[$f]=$(awk -v d="$d" 'BEGIN { printf "%.3f", d / 10 }')
done
for f in "$media"/jpeg/*; do
  wh=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$f")
  lowres[$f]=$(awk -v w="${wh%,*}" -v h="${wh#*,}" -v s="$size" \
    'BEGIN { e = w > h ? w : h; n = 0; while (n < 3 && e / 2 ^ (n + 1) >= s) n++; print n }')
done

files() { ls "$media/$1"/*; }

# Per-file reference commands (one process per file, $jobs at a time).
ref_vips() { files jpeg | xargs -P "$jobs" -I{} vipsthumbnail {} -s $size -o "$work/out/%s.png"; }
ref_heif() { files heic | xargs -P "$jobs" -I{} sh -c 'heif-thumbnailer -s '$size' "$1" "$2/out/$(basename "$1").png"' _ {} "$work"; }
ref_fft() { files video | xargs -P "$jobs" -I{} sh -c 'ffmpegthumbnailer -i "$1" -o "$2/out/$(basename "$1").png" -s '$size' -q 8' _ {} "$work"; }
# Video: seek to the key frame before 10% and take the first frame decoded there, as we do
# (-noaccurate_seek; an exact seek would decode on through the GOP). JPEG: a scaled decode.
ffmpeg_one() { # FILE SEEK LOWRES
  local scale="scale=$size:$size:force_original_aspect_ratio=decrease" input=()
  [[ -n "$2" ]] && input+=(-noaccurate_seek -ss "$2")
  [[ -n "$3" ]] && input+=(-lowres "$3")
  ffmpeg -nostdin -loglevel error -y "${input[@]}" -i "$1" -an -frames:v 1 -vf "$scale" "$work/out/$(basename "$1").png"
}
export -f ffmpeg_one; export work size
ref_ffmpeg() { # KIND...
  for kind in "$@"; do
    # "|" separates the fields: tabs are IFS white space, so an empty field between two would vanish.
    for f in "$media/$kind"/*; do printf '%s|%s|%s\n' "$f" "${seek[$f]:-}" "${lowres[$f]:-}"; done
  done | xargs -P "$jobs" -d '\n' -I{} bash -c 'IFS="|" read -r f s l <<< "$1"; ffmpeg_one "$f" "$s" "$l"' _ {}
}
export -f ref_vips ref_heif ref_fft ref_ffmpeg files; export media jobs cli

nj=$(count jpeg) nh=$(count heic) nv=$(count video)
echo "mediatriage thumbnail benchmark: $nj JPEG, $nh HEIC, $nv videos; size $size; $runs runs each (medians); $jobs cores"
echo "media: $media"
echo

run ours_jpeg check_ours "$nj" 1 "$size" -- "$cli" thumb --json --size $size "$media/jpeg"
run ours_heic check_ours "$nh" 1 "$size" -- "$cli" thumb --json --size $size "$media/heic"
run ours_video check_ours "$nv" 1 "$size" -- "$cli" thumb --json --size $size "$media/video"
run ours_all check_ours "$((nj + nh + nv))" 1 "$size" -- "$cli" thumb --json --size $size "$media/jpeg" "$media/heic" "$media/video"
run ours_jv check_ours "$((nj + nv))" 1 "$size" -- "$cli" thumb --json --size $size "$media/jpeg" "$media/video"
run vips check_out "$nj" 1 "$size" "$work/out/*" -- bash -c ref_vips
run heif check_out "$nh" 1 "$size" "$work/out/*" -- bash -c ref_heif
run fft check_out "$nv" 1 "$size" "$work/out/*" -- bash -c ref_fft
declare -p seek lowres > "$work/seek.sh"
run ffmpeg_jpeg check_out "$nj" 1 "$size" "$work/out/*" -- bash -c "source $work/seek.sh; $(declare -f ref_ffmpeg); ref_ffmpeg jpeg"
run ffmpeg_video check_out "$nv" 1 "$size" "$work/out/*" -- bash -c "source $work/seek.sh; $(declare -f ref_ffmpeg); ref_ffmpeg video"
run ffmpeg_jv check_out "$((nj + nv))" 1 "$size" "$work/out/*" -- bash -c "source $work/seek.sh; $(declare -f ref_ffmpeg); ref_ffmpeg jpeg video"

row() { printf '%-34s %6s %8s %9s %9s\n' "$@"; }
row "tool (kind)" files "wall s" "files/s" "peak MB"
row "mediatriage-cli (JPEG)" "$nj" "${wall[ours_jpeg]}" "$(rate "$nj" "${wall[ours_jpeg]}")" "$(mb "${rss[ours_jpeg]}")"
row "vipsthumbnail (JPEG)" "$nj" "${wall[vips]}" "$(rate "$nj" "${wall[vips]}")" "$(mb "${rss[vips]}")"
row "ffmpeg per file (JPEG)" "$nj" "${wall[ffmpeg_jpeg]}" "$(rate "$nj" "${wall[ffmpeg_jpeg]}")" "$(mb "${rss[ffmpeg_jpeg]}")"
row "mediatriage-cli (HEIC)" "$nh" "${wall[ours_heic]}" "$(rate "$nh" "${wall[ours_heic]}")" "$(mb "${rss[ours_heic]}")"
row "heif-thumbnailer (HEIC)" "$nh" "${wall[heif]}" "$(rate "$nh" "${wall[heif]}")" "$(mb "${rss[heif]}")"
row "mediatriage-cli (video)" "$nv" "${wall[ours_video]}" "$(rate "$nv" "${wall[ours_video]}")" "$(mb "${rss[ours_video]}")"
row "ffmpegthumbnailer (video)" "$nv" "${wall[fft]}" "$(rate "$nv" "${wall[fft]}")" "$(mb "${rss[fft]}")"
row "ffmpeg per file (video)" "$nv" "${wall[ffmpeg_video]}" "$(rate "$nv" "${wall[ffmpeg_video]}")" "$(mb "${rss[ffmpeg_video]}")"
row "mediatriage-cli (all)" "$((nj + nh + nv))" "${wall[ours_all]}" "$(rate $((nj + nh + nv)) "${wall[ours_all]}")" "$(mb "${rss[ours_all]}")"
row "mediatriage-cli (JPEG+video)" "$((nj + nv))" "${wall[ours_jv]}" "$(rate $((nj + nv)) "${wall[ours_jv]}")" "$(mb "${rss[ours_jv]}")"
row "ffmpeg per file (JPEG+video)" "$((nj + nv))" "${wall[ffmpeg_jv]}" "$(rate $((nj + nv)) "${wall[ffmpeg_jv]}")" "$(mb "${rss[ffmpeg_jv]}")"
echo
echo "Speed-up (reference wall / our wall; >1 means we are faster):"
printf '  JPEG  vs vipsthumbnail:      %sx   (target: ours within 1.5x slower, i.e. >= 0.67)\n' "$(ratio "${wall[vips]}" "${wall[ours_jpeg]}")"
printf '  HEIC  vs heif-thumbnailer:   %sx   (target >= 1)\n' "$(ratio "${wall[heif]}" "${wall[ours_heic]}")"
printf '  video vs ffmpegthumbnailer:  %sx   (target >= 1)\n' "$(ratio "${wall[fft]}" "${wall[ours_video]}")"
printf '  JPEG+video vs ffmpeg -ss:    %sx   (target >= 3)\n' "$(ratio "${wall[ffmpeg_jv]}" "${wall[ours_jv]}")"

# Warm cache: fill the shared cache once, then time runs that only validate hits.
rm -rf "$work/xdg-warm"; mkdir -p "$work/xdg-warm"
XDG_CACHE_HOME="$work/xdg-warm" "$cli" thumb --size $size "$media/warm" >/dev/null
nw=$(count warm)
warm=()
for ((i = 0; i < runs; i++)); do
  XDG_CACHE_HOME="$work/xdg-warm" /usr/bin/time -f "%e %M" -o "$work/time" "$cli" thumb --json --size $size "$media/warm" > "$work/warm.json" ||
    fail "warm run: mediatriage-cli thumb exited with $?"
  read -r w r < <(tail -n 1 "$work/time"); warm+=("$w")
  hits=$(python3 -c 'import json, sys; e = json.load(open(sys.argv[1])); print(sum(1 for x in e if x.get("cached") and not x.get("error")))' "$work/warm.json")
  [[ $hits == "$nw" ]] || fail "warm run: $hits cache hits for $nw files"
done
wmed=$(printf '%s\n' "${warm[@]}" | median)
echo
printf 'Warm cache: %s files, %s hits, median %s s -> %s thumbnails/s (target >= 2000), peak %s MB\n' \
  "$nw" "$hits" "$wmed" "$(rate "$nw" "$wmed")" "$(mb "$r")"

#!/usr/bin/env bash
# Compression benchmark: `mediatriage-cli compress` (FFmpeg libraries in-process) against the
# `ffmpeg` program with the same settings at the same SVT-AV1 preset, in the same run.
#
#   tests/benchmarks/compression-benchmark.sh [BUILD_DIR]
#
# Environment: RUNS (default 3, median reported), PRESET (default: what the CLI picks for the
# clip's duration, passed explicitly to both), CLIPS_DIR (reuse generated clips; default a temp
# dir that is removed afterwards), CLIPS (subset, e.g. "4k60 portrait").
# Clips: 10 s 4K 60 fps H.264 + AAC, 30 s 1080p HEVC + AAC, 10 s 1080p portrait by display matrix.
# The reference bounds the longest edge like we do (not only the width, which would leave
# portrait clips at 768x1366 and flatter us), and drops frames before scaling (-vf fps=N,scale=…)
# as our compressor does, rather than scaling every frame and dropping afterwards (-r N), which
# would flatter us too.
# Every output, ours and the reference's, is checked before its time counts: it exists, decodes
# without error to the end, is AV1 within 768 px, has the expected number of frames (duration x
# output fps) and Opus audio when the source has audio, and ours has the reference's frame size.
# A tool that fails stops the benchmark with its error; it is never timed as fast.
# Targets from issue 4: wall time <= 0.9x the ffmpeg program's, output size <= 1.05x its size.
set -euo pipefail

build=${1:-$(cd "$(dirname "$0")/../.." && pwd)/build}
cli=$build/bin/mediatriage-cli
[[ -x $cli ]] || { echo "no $cli; build first (cmake --build $build)" >&2; exit 2; }
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
clips=${CLIPS_DIR:-$work/clips}
mkdir -p "$clips"

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
gen() { # name, ffmpeg args... (generated once per CLIPS_DIR)
    local name=$1; shift
    [[ -s $clips/$name ]] && return 0
    echo "generating $name ..." >&2
    ff "$@" "$clips/tmp-$name" && mv "$clips/tmp-$name" "$clips/$name"
}

want() { [[ -z ${CLIPS:-} || " $CLIPS " == *" $1 "* ]]; }

want 4k60 && gen 4k60-h264.mp4 -f lavfi -i testsrc2=size=3840x2160:rate=60:duration=10 \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=10" -ac 2 \
    -c:v libx264 -preset ultrafast -crf 20 -pix_fmt yuv420p -c:a aac -b:a 128k -shortest
want hevc1080 && gen 1080p-hevc.mp4 -f lavfi -i testsrc2=size=1920x1080:rate=30:duration=30 \
    -f lavfi -i "sine=frequency=330:sample_rate=44100:duration=30" -ac 2 \
    -c:v libx265 -preset ultrafast -x265-params log-level=error -pix_fmt yuv420p -tag:v hvc1 \
    -c:a aac -b:a 128k -shortest
if want portrait; then
    gen portrait-src.mp4 -f lavfi -i testsrc2=size=1920x1080:rate=30:duration=10 \
        -f lavfi -i "sine=frequency=550:sample_rate=48000:duration=10" \
        -c:v libx264 -preset ultrafast -crf 20 -pix_fmt yuv420p -c:a aac -b:a 128k -shortest
    # The 5.1 CLI keeps the rotate tag (a display matrix) only when remuxing.
    gen portrait-matrix.mp4 -i "$clips/portrait-src.mp4" -c copy -metadata:s:v:0 rotate=90
fi

probe() { ffprobe -v error -select_streams v:0 -show_entries "$1" -of default=nw=1:nk=1 "$2" | head -1; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# `timed OUTFILE cmd...` runs cmd under /usr/bin/time; appends "wall_seconds peak_kb" to OUTFILE.
timed() { local f=$1; shift; /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" \
    || { cat "$work/err" >&2; echo "FAILED: $*" >&2; exit 1; }; cat "$work/t" >> "$f"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
# check OUTPUT SOURCE FPS: the output is a whole, decodable AV1 (+ Opus) WebM of the right shape.
check() {
    local out=$1 src=$2 fps=$3
    [[ -s $out ]] || fail "$out was not written"
    [[ $(probe stream=codec_name "$out") == av1 ]] || fail "$out has no AV1 video stream"
    local wh w h; wh=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$out")
    w=${wh%,*} h=${wh#*,}
    (( w > 0 && h > 0 && w <= 768 && h <= 768 )) || fail "$out is ${w}x${h}, not within 768 px"
    ffmpeg -nostdin -v error -xerror -i "$out" -f null - 2>"$work/decode.err" && [[ ! -s $work/decode.err ]] \
        || { cat "$work/decode.err" >&2; fail "$out does not decode cleanly"; }
    local frames dur want
    frames=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$out")
    dur=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$src")
    want=$(echo "$dur * $fps" | bc -l)
    awk -v n="$frames" -v w="$want" 'BEGIN { exit !(n >= w - 2 && n <= w + 2) }' \
        || fail "$out has $frames frames, expected about $want ($dur s at $fps fps)"
    if [[ -n $(ffprobe -v error -select_streams a -show_entries stream=index -of csv=p=0 "$src") ]]; then
        [[ $(ffprobe -v error -select_streams a:0 -show_entries stream=codec_name -of csv=p=0 "$out") == opus ]] \
            || fail "$out lost the audio (no Opus stream)"
    fi
    echo "$wh"
}

printf '\n%-22s %6s %-8s %3s %9s %7s %10s %8s\n' clip dur tool P "wall s" "x rt" "size KB" "RSS MB"
summary=()
for clip in 4k60-h264.mp4 1080p-hevc.mp4 portrait-matrix.mp4; do
    in=$clips/$clip
    [[ -s $in ]] || continue
    dur=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$in")
    # Let the CLI's duration rule pick the preset, then hand the same number to both.
    preset=${PRESET:-$("$cli" compress --json "$in" "$work/probe.webm" | python3 -c 'import json,sys; print(json.load(sys.stdin)["preset"])')}
    # Same output frame rate rule as ours: at most 5, never raised.
    fps=$(probe stream=avg_frame_rate "$in" | awk -F/ '{r=($2>0)?$1/$2:$1; print (r<5 && r>0)?r:5}')
    # ffmpeg autorotates before the filters, so iw/ih are upright here; bound the longest edge.
    scale="scale='if(gte(iw,ih),min(768,iw),-2)':'if(gte(iw,ih),-2,min(768,ih))',format=yuv420p"
    : > "$work/ours.t"; : > "$work/ref.t"
    for ((i = 0; i < runs; ++i)); do # interleaved, so load from others hits both alike
        rm -f "$work/ours.webm" "$work/ref.webm"
        timed "$work/ours.t" "$cli" compress --preset "$preset" "$in" "$work/ours.webm"
        timed "$work/ref.t" ffmpeg -nostdin -hide_banner -loglevel error -y -i "$in" -map 0:v:0 -map '0:a:0?' \
            -c:v libsvtav1 -preset "$preset" -crf 35 -vf "fps=$fps,$scale" \
            -c:a libopus -b:a 24k -vbr on -ac 1 -ar 48000 "$work/ref.webm"
        ours_wh=$(check "$work/ours.webm" "$in" "$fps")
        ref_wh=$(check "$work/ref.webm" "$in" "$fps")
        [[ $ours_wh == "$ref_wh" ]] || fail "$clip: ours is $ours_wh but the reference is $ref_wh: not the same work"
    done
    for tool in ours ref; do
        wall=$(cut -d' ' -f1 "$work/$tool.t" | median)
        rss=$(cut -d' ' -f2 "$work/$tool.t" | median)
        size=$(stat -c %s "$work/$tool.webm")
        eval "${tool}_wall=$wall ${tool}_size=$size"
        printf '%-22s %6.1f %-8s %3s %9.2f %7.2f %10.1f %8.0f  %s\n' "$clip" "$dur" \
            "$([[ $tool == ours ]] && echo ours || echo ffmpeg)" "$preset" "$wall" \
            "$(echo "$dur / $wall" | bc -l)" "$(echo "$size / 1024" | bc -l)" "$(echo "$rss / 1024" | bc -l)" \
            "$ours_wh"
    done
    summary+=("$(printf '%-22s wall ours/ffmpeg %.2f (target <= 0.90)   size ours/ffmpeg %.3f (target <= 1.05)' \
        "$clip" "$(echo "$ours_wall / $ref_wall" | bc -l)" "$(echo "$ours_size / $ref_size" | bc -l)")")
done
echo
printf '%s\n' "${summary[@]}"
echo "(median of $runs runs; wall = elapsed seconds, x rt = clip seconds per wall second; $(nproc) cores; $(ffmpeg -version | head -1 | cut -d' ' -f1-3))"

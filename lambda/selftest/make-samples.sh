#!/usr/bin/env bash
# Regenerates the self-test samples (committed, a few KB each) with Debian's ffmpeg, exiftool and
# heif-enc: a 64x64 HEIC with EXIF Make/Model (checked by the self-test) and a 1.5 s 128x96 H.264 +
# AAC MP4 (SVT-AV1 needs at least 64x64).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ffmpeg -hide_banner -loglevel error -f lavfi -i "testsrc2=size=64x64:rate=1" -frames:v 1 -q:v 3 "$work/photo.jpg"
exiftool -q -overwrite_original -Make=MediaTriage -Model=SelfTest -DateTimeOriginal="2026:01:02 03:04:05" "$work/photo.jpg"
heif-enc -q 50 "$work/photo.jpg" -o "$here/sample.heic"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=128x96:rate=10" \
  -f lavfi -i "sine=frequency=440:sample_rate=16000" -t 1.5 \
  -c:v libx264 -preset veryslow -crf 36 -pix_fmt yuv420p -c:a aac -b:a 16k -ac 1 -movflags +faststart \
  "$here/sample.mp4"
ls -l "$here/sample.heic" "$here/sample.mp4"

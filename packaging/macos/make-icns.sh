#!/usr/bin/env bash
# make-icns.sh <icon.svg> <out.icns>: renders the SVG at every size an .icns holds and packs them
# with iconutil. Uses rsvg-convert when installed (Homebrew librsvg), else QuickLook (qlmanage),
# which every macOS has.
set -euo pipefail
svg=$1 out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set_dir="$tmp/mediatriage.iconset"
mkdir "$set_dir"
render() { # <pixels> <png>
  if command -v rsvg-convert >/dev/null; then
    rsvg-convert -w "$1" -h "$1" "$svg" -o "$2"
  else
    qlmanage -t -s "$1" -o "$tmp" "$svg" >/dev/null
    mv "$tmp/$(basename "$svg").png" "$2"
    sips -z "$1" "$1" "$2" >/dev/null # QuickLook may pad; force the exact size
  fi
}
for size in 16 32 128 256 512; do
  render "$size" "$set_dir/icon_${size}x${size}.png"
  render $((size * 2)) "$set_dir/icon_${size}x${size}@2x.png"
done
iconutil -c icns -o "$out" "$set_dir"

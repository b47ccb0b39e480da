#!/usr/bin/env bash
# Starts the desktop app under Xvfb on the bundled samples (with one video selected, so the
# metadata pane is filled) and saves a screenshot of the screen.
#   tests/gui/screenshot.sh [BUILD_DIR] [OUT.png]
# Defaults: build-app, docs/screenshot.png under the build dir. Needs xvfb and imagemagick.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build-app}
out=${2:-$build/screenshot.png}
app="$build/bin/mediatriage"
[[ -x "$app" ]] || { echo "no app at $app: build the mediatriage target first" >&2; exit 1; }
for tool in Xvfb import; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run packaging/install-deps.sh" >&2; exit 1; }
done

# Own settings, caches and data, so the run never sees (or changes) the user's.
tmp=$(mktemp -d)
export XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache XDG_DATA_HOME=$tmp/data XDG_RUNTIME_DIR=$tmp/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

# First free display from :90.
display=90
while [[ -e /tmp/.X11-unix/X$display || -e /tmp/.X$display-lock ]]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app_pid=
cleanup() {
  [[ -n "$app_pid" ]] && kill "$app_pid" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
export DISPLAY=:$display QT_QPA_PLATFORM=xcb
for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X$display ]] && break; sleep 0.1; done

"$app" "$src/resources/samples/IMG_0006.mov" >"$tmp/app.log" 2>&1 &
app_pid=$!
# Scanning, thumbnails and metadata of the 7 samples take well under a second; leave margin for a
# loaded machine and a cold GStreamer registry.
sleep "${SCREENSHOT_DELAY:-5}"
kill -0 "$app_pid" 2>/dev/null || { echo "the app exited early:" >&2; cat "$tmp/app.log" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
import -window root "$out"
echo "screenshot: $out"

#!/usr/bin/env bash
# The main job on the bundled samples: the desktop app when there is a display to show it on,
# otherwise the same triage headless (offline engine unless GEMINI_API_KEY is set).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" || "$(uname)" == "Darwin" ]]; then
  exec build/bin/mediatriage resources/samples
fi
echo "No display found: triaging the samples on the command line instead of opening the app." >&2
build/bin/mediatriage-cli info resources/samples
exec build/bin/mediatriage-cli triage resources/samples

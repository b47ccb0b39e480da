#!/usr/bin/env bash
# Installs every Debian 12 package MediaTriage needs to build and test, and nothing twice:
# packages already present are skipped, so a second run does no network work.
#   packaging/install-deps.sh           build + test dependencies
#   packaging/install-deps.sh --bench   also the reference tools the benchmarks compare against
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache
  # libraries
  qt6-base-dev qt6-multimedia-dev qt6-httpserver-dev qt6-websockets-dev qtkeychain-qt6-dev libxkbcommon-dev
  libqt6sql6-sqlite qt6-image-formats-plugins
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev
  libheif-dev libexiv2-dev nlohmann-json3-dev libssl-dev
  # RAW photos: LibRaw decodes when the embedded preview is too small; libtiff writes test DNGs
  libraw-dev libtiff-dev
  # tests: fixture generators, offscreen/X11 GUI tests
  ffmpeg libheif-examples imagemagick libimage-exiftool-perl xvfb xauth
  # Lambda bundle (lambda/bundle.sh: ldd, readelf, strip) and its checks (python3 + PyYAML; a static
  # shell for the image-like empty root of lambda/packaging/verify-bundle.sh --empty-root)
  binutils python3-yaml busybox-static
  # desktop app: SVG icons, video playback (GStreamer backend), .desktop/AppStream validators
  libqt6svg6 gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav desktop-file-utils appstream
  # robustness: libFuzzer targets (clang + its sanitizer/fuzzer runtimes) and the zzuf mutation campaign
  clang libclang-rt-14-dev zzuf
  # Windows syntax check (packaging/check-windows-syntax.sh): the mingw-w64 C++ cross compiler
  g++-mingw-w64-x86-64-posix
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(libvips-tools heif-thumbnailer libraw-bin ffmpegthumbnailer hyperfine time bc)
fi

# Node.js runs the S3 stand-in (s3rver) the AWS tests start. Debian's own nodejs/npm are used
# only when no node/npm is on the machine already (a NodeSource nodejs bundles npm and conflicts
# with Debian's npm package).
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Test servers from npm, pinned by tests/servers/package-lock.json; skipped when already installed.
servers="$(cd "$(dirname "$0")/.." && pwd)/tests/servers"
if [[ ! -x "$servers/node_modules/.bin/s3rver" || "$servers/package-lock.json" -nt "$servers/node_modules/.package-lock.json" ]]; then
  echo "install-deps: installing test servers (npm ci in tests/servers)"
  npm ci --prefix "$servers" --no-audit --no-fund --loglevel=error
fi

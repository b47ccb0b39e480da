#!/usr/bin/env bash
# Windows check that runs on Debian: compiles every translation unit of src/core, src/app, src/cli
# and src/keychain for x86_64-w64-mingw32 with -fsyntax-only, with the flags the Linux build uses
# (build/compile_commands.json) and Debian's own dependency headers. A POSIX- or Linux-only call
# outside the platform layer (…_posix/_linux/_freedesktop.cpp) fails it.
#
#   packaging/check-windows-syntax.sh [build-dir]     (default: build; configure it first)
#
# What it compiles is what a Windows build would: each platform file the Linux build uses is
# replaced by its Windows counterparts, read from <build>/platform-sources.tsv, which CMake's
# mt_platform_sources() writes. The dependency headers are platform-neutral except a few config
# headers, for which stand-ins are made below (Exiv2's exv_conf.h; Qt's win32-g++ mkspec replaces
# linux-g++, and Qt's public headers decide the rest from the compiler's _WIN32). It does not
# link and cannot catch a Windows-only runtime failure; the Windows CI workflow builds for real.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
CXX=x86_64-w64-mingw32-g++-posix

if ! command -v "$CXX" >/dev/null; then
  echo "check-windows-syntax: installing g++-mingw-w64-x86-64-posix"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends g++-mingw-w64-x86-64-posix
fi
[[ -f "$build/compile_commands.json" && -f "$build/platform-sources.tsv" ]] ||
  { echo "check-windows-syntax: configure $build first (cmake --preset default)" >&2; exit 2; }

work="$(cd "$build" && pwd)/windows-syntax"
rm -rf "$work"
mkdir -p "$work/include" "$work/logs"
# Only the dependencies' own folders: /usr/include and its multiarch folder also hold glibc's
# headers, which must not shadow mingw-w64's.
for dir in /usr/include/x86_64-linux-gnu/{libavformat,libavcodec,libavutil,libswscale,libswresample,libavfilter,libheif} \
           /usr/include/{nlohmann,qt6keychain}; do
  [[ -d "$dir" ]] && ln -s "$dir" "$work/include/$(basename "$dir")"
done
# Exiv2's exv_conf.h is its build's platform config, included as "exv_conf.h" (so from its own
# folder first): the folder is rebuilt with links, and the stand-in is Debian's file without
# the POSIX-only features a Windows build of the same version does not have.
mkdir "$work/include/exiv2"
for f in /usr/include/exiv2/*; do
  [[ "${f##*/}" == exv_conf.h ]] || ln -s "$f" "$work/include/exiv2/"
done
sed -E '/#define EXV_(HAVE_REGEX_H|HAVE_STRERROR_R|STRERROR_R_CHAR_P|HAVE_MMAP|HAVE_MUNMAP|HAVE_SYS_MMAN_H|HAVE_UNISTD_H|HAVE_ICONV)\b/d' \
  /usr/include/exiv2/exv_conf.h > "$work/include/exiv2/exv_conf.h"

python3 packaging/windows-syntax/commands.py "$build" "$CXX" "$work/include" > "$work/commands.txt"
total=$(wc -l < "$work/commands.txt")
echo "check-windows-syntax: $total translation units for x86_64-w64-mingw32"
# One job per core; each line is "<log name>\t<command>".
export work
nproc_jobs=$(nproc)
set +e
awk -F'\t' '{print $1 "\t" $2}' "$work/commands.txt" |
  xargs -P "$nproc_jobs" -d '\n' -n 1 bash -c '
    name=${0%%	*}; cmd=${0#*	}
    if eval "$cmd" > "$work/logs/$name.log" 2>&1; then rm -f "$work/logs/$name.log"; else echo "FAILED $name"; fi'
set -e
failed=$(ls "$work/logs" | wc -l)
if ((failed > 0)); then
  for log in "$work/logs"/*.log; do
    echo "---- ${log##*/}"
    grep -E 'error' "$log" | head -n 5
  done
  echo "check-windows-syntax: $failed of $total translation units failed (full logs in $work/logs)"
  exit 1
fi
echo "check-windows-syntax: all $total translation units compile for Windows"

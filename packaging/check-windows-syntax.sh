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
# The include folder keeps its timestamps between runs, so unchanged translation units are skipped.
include="$work/include"
mkdir -p "$include/exiv2"
# Only the dependencies' own folders: /usr/include and its multiarch folder also hold glibc's
# headers, which must not shadow mingw-w64's.
for dir in /usr/include/x86_64-linux-gnu/{libavformat,libavcodec,libavutil,libswscale,libswresample,libavfilter,libheif} \
           /usr/include/{nlohmann,qt6keychain,libraw}; do
  [[ -d "$dir" && ! -e "$include/${dir##*/}" ]] && ln -s "$dir" "$include/${dir##*/}"
done
# Exiv2's exv_conf.h is its build's platform config, included as "exv_conf.h", i.e. from the
# including header's own folder (GCC resolves links for that): the folder is copied (timestamps
# kept), and the stand-in is Debian's file without the POSIX-only features a Windows build of the
# same version does not have.
cp -p -u /usr/include/exiv2/*.h* "$include/exiv2/"
sed -E '/#define EXV_(HAVE_REGEX_H|HAVE_STRERROR_R|STRERROR_R_CHAR_P|HAVE_MMAP|HAVE_MUNMAP|HAVE_SYS_MMAN_H|HAVE_UNISTD_H|HAVE_ICONV)\b/d' \
  /usr/include/exiv2/exv_conf.h > "$work/exv_conf.h.new"
cmp -s "$work/exv_conf.h.new" "$include/exiv2/exv_conf.h" || mv "$work/exv_conf.h.new" "$include/exiv2/exv_conf.h"
rm -f "$work/exv_conf.h.new"

# mingw-w64 has unistd.h, isatty, __attribute__ ...; MSVC (vcpkg builds) has none of them. Those
# are refused outside the POSIX platform files by name, before compiling.
posix_only='^\s*#\s*include\s*<(unistd|dirent|fcntl|dlfcn|pthread|regex|strings|syslog|termios|pwd|grp|libgen)\.h>'
posix_only+='|^\s*#\s*include\s*<sys/(mman|wait|socket|ioctl|time|resource|utsname|statvfs|xattr)\.h>'
posix_only+='|__attribute__|\b(un)?setenv\s*\(|\bstrcasecmp\b|\bfileno\s*\(|\bisatty\s*\('
if grep -rnE "$posix_only" src/core src/app src/cli src/keychain --include='*.cpp' --include='*.h' |
     grep -vE '_(posix|linux|freedesktop|mac)\.cpp:'; then
  echo "check-windows-syntax: POSIX-only code above, outside a _posix/_linux/_freedesktop/_mac.cpp platform file" >&2
  exit 1
fi

python3 packaging/windows-syntax/commands.py "$build" "$CXX" "$include" > "$work/commands.txt"
# One job per core; a translation unit that passed and whose files are unchanged is not redone.
if python3 packaging/windows-syntax/run.py "$work/commands.txt" "$work/state"; then
  echo "check-windows-syntax: every translation unit compiles for Windows"
else
  echo "check-windows-syntax: FAILED (the errors are above)" >&2
  exit 1
fi

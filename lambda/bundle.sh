#!/usr/bin/env bash
# Collects the Lambda runtime and everything it loads into one relocatable folder:
#   lambda/bundle.sh BOOTSTRAP OUTDIR
#
#   OUTDIR/bootstrap        /bin/sh wrapper: what Lambda (or a test) runs
#   OUTDIR/bin/bootstrap    the program, debug info stripped
#   OUTDIR/lib/             every shared library it needs, found recursively, including glibc's
#                           loader and libc, plus what is only dlopen()ed (libssl for Qt's TLS plugin)
#   OUTDIR/plugins/         the Qt plugins it loads at run time: imageformats (jpeg, gif, webp),
#                           sqldrivers (sqlite), tls (openssl)
#   OUTDIR/bundle-manifest.txt   each bundled file, where it came from and its Debian package
#
# Why ship the loader and libc: we build on Debian 12 (glibc 2.36, GCC 12) while the Lambda image
# is Amazon Linux 2023 (glibc 2.34, GCC 11 libstdc++), so our binary and libraries need symbol
# versions the image's glibc and libstdc++ lack. The wrapper therefore starts the program through
# the bundled loader, `lib/ld-linux-x86-64.so.2 --library-path lib bin/bootstrap`, which makes the
# whole process use the bundle's glibc and nothing of the image's. The alternative, patchelf'ing an
# absolute PT_INTERP into the binary, would tie the bundle to one install path (it is tested in a
# temporary folder, installed in /opt/mediatriage) and rewrites the ELF file; the wrapper costs one
# /bin/sh start (about 1 ms, lost in the noise of tests/benchmarks/lambda-coldstart) and uses only
# shell builtins, so it needs nothing of the base image but /bin/sh (which runs its entrypoint).
# Never let a global LD_LIBRARY_PATH name OUTDIR/lib: the base image's own programs (its /bin/sh
# runs /lambda-entrypoint.sh) would then mix their loader with our libc. That is why the image
# keeps the bundle in /opt/mediatriage, away from /var/runtime/lib and /var/task/lib, which
# Lambda's conventional library path lists.
#
# Environment: QT_PLUGINS_DIR overrides the Qt plugin folder (default: qtpaths6's answer);
# STRIP=0 keeps debug info.
set -euo pipefail

usage() {
  echo "usage: $0 BOOTSTRAP OUTDIR" >&2
  echo "  BOOTSTRAP  the built bootstrap executable (e.g. build/bin/bootstrap)" >&2
  echo "  OUTDIR     folder to create (an earlier bundle there is replaced)" >&2
  exit 2
}
[[ $# -eq 2 ]] || usage
bootstrap="$1"
out="$2"
[[ -f "$bootstrap" && -x "$bootstrap" ]] || { echo "bundle.sh: $bootstrap is not an executable file" >&2; exit 1; }
readelf -h "$bootstrap" 2>/dev/null | grep -q 'X86-64' ||
  { echo "bundle.sh: $bootstrap is not an x86-64 ELF executable" >&2; exit 1; }

marker=".mediatriage-lambda-bundle"
if [[ -e "$out" ]]; then
  if [[ -n "$(ls -A "$out")" && ! -e "$out/$marker" ]]; then
    echo "bundle.sh: $out exists, is not empty and is not an earlier bundle; refusing to replace it" >&2
    exit 1
  fi
  rm -rf "$out"
fi
mkdir -p "$out/bin" "$out/lib" "$out/plugins"
out="$(cd "$out" && pwd)"
touch "$out/$marker"

plugins_src="${QT_PLUGINS_DIR:-}"
if [[ -z "$plugins_src" ]] && command -v qtpaths6 >/dev/null; then
  plugins_src="$(qtpaths6 --query QT_INSTALL_PLUGINS 2>/dev/null || true)"
fi
: "${plugins_src:=/usr/lib/x86_64-linux-gnu/qt6/plugins}"

# Qt plugins the runtime loads (platforms are not needed: QImage works without a QGuiApplication).
qt_plugins=(
  imageformats/libqjpeg.so  # JPEG thumbnails and photo preparation
  imageformats/libqgif.so   # GIF photos
  imageformats/libqwebp.so  # WebP photos
  sqldrivers/libqsqlite.so  # verdict store
  tls/libqopensslbackend.so # HTTPS to S3, SSM, Lambda and Gemini
)
# Libraries that are dlopen()ed by soname, so no DT_NEEDED list names them: Qt's OpenSSL backend
# loads libssl.so.3/libcrypto.so.3 at run time.
dlopened=(libssl.so.3 libcrypto.so.3)

manifest="$out/bundle-manifest.txt"
: >"$manifest"
declare -A bundled=()  # name in the bundle -> source path
roots=()

install_file() { # SOURCE DEST
  cp -L "$1" "$2"
  chmod 0755 "$2"  # Lambda runs the image as a non-root user: everything world-readable
}

install -m 0755 "$bootstrap" "$out/bin/bootstrap"
roots+=("$out/bin/bootstrap")
echo "bin/bootstrap <- $(realpath "$bootstrap")" >>"$manifest"

# The media handlers are a module bootstrap loads in the background (lambda/MediaJobs.h); it is
# built next to bootstrap and found on the bundle's library path.
media_module="$(dirname "$bootstrap")/libmediatriage_lambda_media.so"
[[ -f "$media_module" ]] || { echo "bundle.sh: $media_module is missing (build the bootstrap target, which builds it)" >&2; exit 1; }
install_file "$media_module" "$out/lib/libmediatriage_lambda_media.so"
bundled[libmediatriage_lambda_media.so]="$media_module"
roots+=("$out/lib/libmediatriage_lambda_media.so")
echo "lib/libmediatriage_lambda_media.so <- $(realpath "$media_module")" >>"$manifest"

for p in "${qt_plugins[@]}"; do
  src="$plugins_src/$p"
  [[ -f "$src" ]] || { echo "bundle.sh: Qt plugin $src is missing (install libqt6sql6-sqlite, qt6-image-formats-plugins)" >&2; exit 1; }
  mkdir -p "$out/plugins/$(dirname "$p")"
  install_file "$src" "$out/plugins/$p"
  roots+=("$out/plugins/$p")
  echo "plugins/$p <- $src" >>"$manifest"
done

ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
for name in "${dlopened[@]}"; do
  src="$("$ldconfig" -p | awk -v n="$name" '$1 == n && /x86-64/ && !found { print $NF; found = 1 }')"
  [[ -n "$src" && -f "$src" ]] || { echo "bundle.sh: cannot find $name on this system (install libssl3)" >&2; exit 1; }
  install_file "$src" "$out/lib/$name"
  bundled[$name]="$src"
  roots+=("$out/lib/$name")
  # Qt 6.4 built against OpenSSL 3 dlopen()s the unversioned development names (libssl.so,
  # libcrypto.so) before it scans folders for libssl.so.*; without these links it would take the
  # host's copy (it found /usr/lib/x86_64-linux-gnu/libcrypto.so on a Debian build machine).
  ln -s "$name" "$out/lib/${name%.so.*}.so"
done

# ldd gives the whole (transitive) dependency closure of each root as the system loader resolves
# it; each library is stored under the name it is asked for (its soname), so no symlinks are
# needed. `ldd` runs the loader on the file: only run this on binaries you built.
for root in "${roots[@]}"; do
  if ! listing="$(ldd "$root" 2>&1)"; then
    echo "bundle.sh: ldd $root failed: $listing" >&2
    exit 1
  fi
  if grep -q 'not found' <<<"$listing"; then
    echo "bundle.sh: $root needs libraries this system does not have:" >&2
    grep 'not found' <<<"$listing" >&2
    exit 1
  fi
  while read -r name arrow path _; do
    if [[ "$arrow" == "=>" && "$path" == /* ]]; then
      :
    elif [[ "$name" == /* ]]; then
      path="$name" # the loader itself: "/lib64/ld-linux-x86-64.so.2 (0x...)"
      name="$(basename "$name")"
    else
      continue     # linux-vdso.so.1 lives in the kernel
    fi
    [[ -n "${bundled[$name]:-}" ]] && continue
    install_file "$path" "$out/lib/$name"
    bundled[$name]="$path"
  done <<<"$listing"
done
[[ -n "${bundled[ld-linux-x86-64.so.2]:-}" ]] || { echo "bundle.sh: the loader ld-linux-x86-64.so.2 was not found by ldd" >&2; exit 1; }

# Debian's packages for the manifest (license and security review: which versions are inside).
# dpkg knows each file under one spelling: /lib/... or /usr/lib/... (merged /usr), link or target.
declare -A package_of=()
sources=()
for src in "${bundled[@]}"; do
  real="$(realpath "$src")"
  for f in "$src" "$real"; do sources+=("$f" "/usr${f#/usr}" "${f#/usr}"); done
done
while IFS= read -r line; do
  pkg="${line%%: *}"
  file="${line#*: }"
  package_of[$file]="$pkg"
done < <(dpkg -S "${sources[@]}" 2>/dev/null || true)
for name in $(printf '%s\n' "${!bundled[@]}" | sort); do
  src="${bundled[$name]}"
  real="$(realpath "$src")"
  pkg=""
  for f in "$src" "$real"; do
    pkg="${pkg:-${package_of[/usr${f#/usr}]:-${package_of[${f#/usr}]:-}}}"
  done
  if [[ -n "$pkg" ]]; then
    version="$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)"
    echo "lib/$name <- $real ($pkg $version)" >>"$manifest"
  else
    echo "lib/$name <- $real" >>"$manifest"
  fi
done

# Debug info is for the build tree, not the image. The loader and libc keep their symbols
# (debuggers and valgrind need them, and they are small).
if [[ "${STRIP:-1}" != 0 ]]; then
  while IFS= read -r -d '' f; do
    case "$(basename "$f")" in ld-linux-*|libc.so.*) continue ;; esac
    strip --strip-unneeded "$f"
  done < <(find "$out/bin" "$out/lib" "$out/plugins" -type f -print0)
fi

# Qt looks for qt.conf next to the executable it sees in /proc/self/exe: that is lib/ when the
# wrapper starts the loader, bin/ when bin/bootstrap is run directly. Both point Qt's plugin path
# into the bundle, so the build machine's own plugins (which a bundle test could pick up by
# accident) are never consulted.
for dir in lib bin; do
  printf '[Paths]\nPrefix=..\nPlugins=plugins\n' >"$out/$dir/qt.conf"
done

cat >"$out/bootstrap" <<'EOF'
#!/bin/sh
# MediaTriage Lambda runtime, started through the bundle's own loader so that it uses the glibc,
# libraries and Qt plugins it was built with, whatever the host has (see lambda/bundle.sh).
# Plain sh and no external commands: the base image has little more than bash.
# MEDIATRIAGE_BUNDLE names the bundle's folder when this wrapper is installed apart from it (the
# image keeps the wrapper at /var/runtime/bootstrap and the bundle in /opt/mediatriage).
if [ -n "${MEDIATRIAGE_BUNDLE:-}" ]; then
  here=$MEDIATRIAGE_BUNDLE
else
  case $0 in
    */*) here=${0%/*} ;;
    *) here=$(command -v -- "$0") && here=${here%/*} ;;
  esac
fi
case $here in
  /*) ;;
  *) here=$PWD/$here ;;
esac
export QT_PLUGIN_PATH="$here/plugins"
# glibc >= 2.35 has C.UTF-8 built in, while the image's locale files belong to its own glibc.
export LC_ALL="${LC_ALL:-C.UTF-8}"
exec "$here/lib/ld-linux-x86-64.so.2" --inhibit-cache --library-path "$here/lib" --argv0 "$0" \
  "$here/bin/bootstrap" "$@"
EOF
chmod 0755 "$out/bootstrap"
chmod -R a+rX "$out"

count=$(find "$out/lib" -name '*.so*' -type f | wc -l)
echo "bundle.sh: $out: $count libraries, $(du -sh "$out" | cut -f1)"

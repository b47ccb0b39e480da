#!/usr/bin/env bash
# CTest lambda_bundle: lambda/bundle.sh on the built bootstrap, outside Docker.
#   test-bundle.sh BOOTSTRAP REPO
# Bundles into a temporary folder, proves the bundle runs `bootstrap --self-test` with
# LD_LIBRARY_PATH naming only the bundle and loads nothing from elsewhere, that it still does so
# after being moved (the image installs it in /opt/mediatriage) and in a chroot holding nothing else
# (as root), that it fails when a plugin or a library is missing (so the checks can fail), that
# debug info is stripped, that bundle.sh never replaces a folder that is not a bundle, and that
# lambda/Dockerfile copies paths the bundle has.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 BOOTSTRAP REPO" >&2; exit 2; }
bootstrap="$1"
repo="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== bundle"
"$repo/lambda/bundle.sh" "$bootstrap" "$work/bundle"
echo "bundle size: $(du -sm "$work/bundle" | cut -f1) MB ($(du -sm --apparent-size "$work/bundle" | cut -f1) MB apparent)"
[[ -x "$work/bundle/bootstrap" && -x "$work/bundle/bin/bootstrap" && -f "$work/bundle/lib/ld-linux-x86-64.so.2" ]] ||
  fail "the bundle lacks bootstrap, bin/bootstrap or lib/ld-linux-x86-64.so.2"
! readelf -S "$work/bundle/bin/bootstrap" | grep -q '\.debug_info' || fail "bin/bootstrap still has debug info"
readelf -S "$bootstrap" | grep -q '\.debug_info' && echo "(the build tree's bootstrap keeps its debug info)"

echo "== self-test from the bundle"
"$repo/lambda/packaging/verify-bundle.sh" "$work/bundle"

echo "== Dockerfile paths"
python3 "$repo/tests/lambda-bundle/check-dockerfile.py" "$repo" "$work/bundle"

echo "== moved elsewhere, started by a relative path"
mv "$work/bundle" "$work/moved"
"$repo/lambda/packaging/verify-bundle.sh" "$work/moved"
(cd "$work" && env -i ./moved/bootstrap --version >/dev/null) || fail "./moved/bootstrap --version failed"

echo "== in an empty root: nothing of the host but the kernel (stands in for Amazon Linux 2023)"
mkdir "$work/probe"
if [[ $(id -u) -eq 0 ]] && command -v unshare >/dev/null &&
  unshare -m --propagation private sh -c 'mount -t proc proc "$1"' sh "$work/probe" 2>/dev/null; then
  "$repo/lambda/packaging/verify-bundle.sh" --empty-root "$work/moved"
else
  echo "skipped: needs root and mount namespaces"
fi

# A copy of the bundle without FILE must fail verification with a report matching PATTERN.
expect_caught() { # WHAT FILE PATTERN
  local copy="$work/without-$(basename "$2")"
  echo "== $1 is caught"
  cp -a "$work/moved" "$copy"
  rm "$copy/$2"
  if "$repo/lambda/packaging/verify-bundle.sh" "$copy" >"$work/out.txt" 2>&1; then
    cat "$work/out.txt"; fail "verify-bundle passed without $2"
  fi
  grep -Eq "$3" "$work/out.txt" || { cat "$work/out.txt"; fail "the missing $2 was not reported"; }
}
expect_caught "a missing plugin" plugins/sqldrivers/libqsqlite.so 'qt.sqlite failed'
# The bundled loader then falls back to the system's folders: a library from outside.
expect_caught "a missing library" lib/libheif.so.1 'outside the bundle: .*libheif|libheif.so.1'

echo "== bundle.sh refuses to replace a folder that is not a bundle"
mkdir "$work/foreign"
echo keep >"$work/foreign/file.txt"
if "$repo/lambda/bundle.sh" "$bootstrap" "$work/foreign" 2>"$work/out.txt"; then fail "bundle.sh replaced a foreign folder"; fi
[[ -f "$work/foreign/file.txt" ]] || fail "bundle.sh deleted a foreign folder's file"
echo "lambda_bundle: all checks passed"

#!/usr/bin/env bash
# Proves a folder made by lambda/bundle.sh works on its own: runs `bootstrap --self-test` and checks
# that it passed and that every shared object the process mapped, and the loader itself, came from
# the bundle.
#   lambda/packaging/verify-bundle.sh BUNDLE
#       through the wrapper, with an empty environment but LD_LIBRARY_PATH naming the bundle
#       (used by the Dockerfile and tests/lambda-bundle)
#   lambda/packaging/verify-bundle.sh --empty-root BUNDLE
#       (root only) in a chroot laid out like the image (wrapper at /var/runtime/bootstrap, the rest
#       in /opt/mediatriage, as lambda/Dockerfile installs it) that holds nothing else but /proc,
#       /tmp and, when busybox-static is installed, a static /bin/sh to run the wrapper: no /usr,
#       /lib or /etc, so nothing of the host but its kernel can be used. Without busybox the
#       loader is started the way the wrapper starts it.
set -euo pipefail
empty_root=0
if [[ "${1:-}" == --empty-root ]]; then
  empty_root=1
  shift
fi
[[ $# -eq 1 && -x "$1/bootstrap" ]] ||
  { echo "usage: $0 [--empty-root] BUNDLE (a folder made by lambda/bundle.sh)" >&2; exit 2; }
bundle="$(cd "$1" && pwd)"
report="$(mktemp)"
root=""
trap 'rm -f "$report"; [[ -z "$root" ]] || rm -rf --one-file-system "$root"' EXIT

status=0
if ((empty_root)); then
  chroot="$(command -v chroot || echo /usr/sbin/chroot)"
  [[ $(id -u) -eq 0 ]] && command -v unshare >/dev/null ||
    { echo "verify-bundle: --empty-root needs root and unshare" >&2; exit 2; }
  home=/opt/mediatriage
  root="$(mktemp -d)"
  mkdir -p "$root/var/runtime" "$root/opt" "$root/proc" "$root/tmp"
  cp -a "$bundle" "$root$home"
  mv "$root$home/bootstrap" "$root/var/runtime/bootstrap"
  if [[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1; then # static: runs in the empty root
    mkdir -p "$root/bin"
    cp /bin/busybox "$root/bin/sh"
    start=(/var/runtime/bootstrap --self-test)
    echo "verify-bundle: empty root with a static /bin/sh, started through the wrapper"
  else
    start=("$home/lib/ld-linux-x86-64.so.2" --inhibit-cache --library-path "$home/lib"
           --argv0 /var/runtime/bootstrap "$home/bin/bootstrap" --self-test)
    echo "verify-bundle: empty root without a shell (install busybox-static to run the wrapper too)"
  fi
  # /proc is mounted in a private mount namespace: it vanishes with the process.
  env -i MEDIATRIAGE_BUNDLE="$home" unshare -m --propagation private /bin/sh -c \
    'root=$1 chroot=$2; shift 2; mount -t proc proc "$root/proc" && exec "$chroot" "$root" "$@"' \
    sh "$root" "$chroot" "${start[@]}" >"$report" || status=$?
  bundle="$home" # where the process saw it
else
  env -i LD_LIBRARY_PATH="$bundle/lib" "$bundle/bootstrap" --self-test >"$report" || status=$?
fi

python3 - "$bundle" "$report" "$status" <<'PY'
import json, sys
bundle, path, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(path, encoding="utf-8").read()
try:
    report = json.loads(text)
except ValueError as e:
    sys.exit(f"verify-bundle: self-test printed no JSON ({e}); exit status {status}; output:\n{text[:2000]}")
problems = []
failed = [c for c in report.get("checks", []) if not c.get("ok")]
for c in failed:
    problems.append(f"check {c.get('name')} failed: {c.get('detail')}")
if status != 0:
    problems.append(f"self-test exit status {status}")
if report.get("ok") is not True:
    problems.append("self-test reported ok: false")
if not report.get("checks"):
    problems.append("self-test ran no checks")
inside = lambda p: isinstance(p, str) and p.startswith(bundle + "/")
libraries = report.get("libraries", [])
if not libraries:
    problems.append("self-test listed no mapped libraries")
for lib in libraries:
    if not inside(lib):
        problems.append(f"library from outside the bundle: {lib}")
if not inside(report.get("executable")):
    problems.append(f"process image from outside the bundle: {report.get('executable')}")
slowest = max(report.get("checks", [{}]), key=lambda c: c.get("ms", 0))
print(f"verify-bundle: {len(report.get('checks', []))} checks, {len(libraries)} libraries mapped, "
      f"slowest check {slowest.get('name')} {slowest.get('ms')} ms")
if problems:
    print("verify-bundle: FAILED\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
print("verify-bundle: OK, everything the process loaded came from " + bundle)
PY

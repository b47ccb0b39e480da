#!/usr/bin/env bash
# Proves a folder made by lambda/bundle.sh works on its own: runs `bootstrap --self-test` and checks
# that it passed and that every shared object the process mapped, and the loader itself, came from
# the bundle.
#   lambda/packaging/verify-bundle.sh BUNDLE
#       through the wrapper, with an empty environment but LD_LIBRARY_PATH naming the bundle
#       (used by the Dockerfile and tests/lambda-bundle)
#   lambda/packaging/verify-bundle.sh --empty-root BUNDLE
#       (root only) in a chroot that holds nothing but the bundle at /var/runtime, /proc and /tmp:
#       no /usr, /lib, /etc or /bin/sh, so nothing of the host but its kernel can be used. The
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
  root="$(mktemp -d)"
  mkdir -p "$root/var" "$root/proc" "$root/tmp"
  cp -a "$bundle" "$root/var/runtime"
  # /proc is mounted in a private mount namespace: it vanishes with the process.
  env -i unshare -m --propagation private /bin/sh -c \
    'mount -t proc proc "$1/proc" && exec "$2" "$1" /var/runtime/lib/ld-linux-x86-64.so.2 --inhibit-cache \
       --library-path /var/runtime/lib --argv0 /var/runtime/bootstrap /var/runtime/bin/bootstrap --self-test' \
    sh "$root" "$chroot" >"$report" || status=$?
  bundle=/var/runtime # where the process saw it
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

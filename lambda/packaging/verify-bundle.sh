#!/usr/bin/env bash
# Proves a folder made by lambda/bundle.sh works on its own: runs `bootstrap --self-test` with an
# empty environment (LD_LIBRARY_PATH naming only the bundle) and checks that it passed and that
# every shared object the process mapped, and the loader itself, came from the bundle.
#   lambda/packaging/verify-bundle.sh BUNDLE      (used by the Dockerfile and tests/lambda-bundle)
set -euo pipefail
[[ $# -eq 1 && -x "$1/bootstrap" ]] || { echo "usage: $0 BUNDLE (a folder made by lambda/bundle.sh)" >&2; exit 2; }
bundle="$(cd "$1" && pwd)"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT

status=0
env -i LD_LIBRARY_PATH="$bundle/lib" "$bundle/bootstrap" --self-test >"$report" || status=$?

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

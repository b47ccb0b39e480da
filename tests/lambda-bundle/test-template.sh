#!/usr/bin/env bash
# CTest lambda_template: lambda/template.yaml parses and matches bootstrap's routes and environment
# (check-template.py, with the real binary answering each route), and the check does fail on a
# template that drops a route, sets too little memory, or refers to the bucket from the function.
#   test-template.sh PYTHON3 REPO BOOTSTRAP
set -euo pipefail
[[ $# -eq 3 ]] || { echo "usage: $0 PYTHON3 REPO BOOTSTRAP" >&2; exit 2; }
python="$1"
repo="$(cd "$2" && pwd)"
bootstrap="$3"
check="$repo/tests/lambda-bundle/check-template.py"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$python" "$check" "$repo" "$bootstrap"

# A copy of the repository parts the check reads, with the template mutated.
mkdir -p "$work/repo/lambda" "$work/repo/src/core"
for f in "$repo"/lambda/*; do
  [[ "$(basename "$f")" == template.yaml ]] || ln -s "$f" "$work/repo/lambda/"
done
ln -s "$repo/src/aws" "$work/repo/src/aws"
ln -s "$repo/src/core/gemini" "$work/repo/src/core/gemini"
ln -s "$repo/src/core/net" "$work/repo/src/core/net"

# The check must fail for the right reason: a crash or another complaint does not count.
expect_failure() { # DESCRIPTION OLD=>NEW EXPECTED-COMPLAINT
  "$python" - "$repo/lambda/template.yaml" "$work/repo/lambda/template.yaml" "$2" <<'PY'
import sys
src, dst, change = sys.argv[1], sys.argv[2], sys.argv[3]
old, new = change.split("=>")
text = open(src, encoding="utf-8").read()
if old not in text:
    sys.exit(f"test-template: the mutation target {old!r} is not in the template any more")
open(dst, "w", encoding="utf-8").write(text.replace(old, new, 1))
PY
  if "$python" "$check" "$work/repo" >"$work/out.txt" 2>&1; then
    cat "$work/out.txt"
    echo "FAIL: check-template accepted a template that $1" >&2
    exit 1
  fi
  if ! grep -qF "$3" "$work/out.txt"; then
    cat "$work/out.txt"
    echo "FAIL: check-template rejected a template that $1, but not with: $3" >&2
    exit 1
  fi
  echo "rejected as expected: $1 ($3)"
}
expect_failure "drops the /upload-url route" "Path: /upload-url=>Path: /upload-link" \
  "route GET /upload-url is implemented but not in the template"
expect_failure "allows 1024 MB" "MinValue: 2048=>MinValue: 1024" \
  "the MemorySize parameter allows values outside 2048..3008"
expect_failure "refers to the bucket from the function" \
  'MEDIA_BUCKET: !Sub "${FunctionName}-media-${AWS::AccountId}-${AWS::Region}"=>MEDIA_BUCKET: !Ref MediaBucket' \
  "the function refers to bucket MediaBucket"
expect_failure "sets an environment variable nothing reads" "GEMINI_MODEL: !Ref GeminiModel=>GEMINI_MODELL: !Ref GeminiModel" \
  "environment variable GEMINI_MODELL is set but no code reads it"
echo "lambda_template: all checks passed"

#!/usr/bin/env bash
# CTest lambda_dockerfile: lambda/Dockerfile only copies what exists and installs the bundle where
# the wrapper and verify-bundle.sh --empty-root expect it (check-dockerfile.py), and the check does
# fail on a Dockerfile that breaks one of those rules.
#   test-dockerfile.sh PYTHON3 REPO
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 PYTHON3 REPO" >&2; exit 2; }
python="$1"
repo="$(cd "$2" && pwd)"
check="$repo/tests/lambda-bundle/check-dockerfile.py"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$python" "$check" "$repo"

# A copy of what the check reads, with the Dockerfile mutated.
mkdir -p "$work/repo/lambda"
for f in "$repo"/lambda/*; do
  [[ "$(basename "$f")" == Dockerfile ]] || ln -s "$f" "$work/repo/lambda/"
done
ln -s "$repo/packaging" "$repo/tests" "$repo/.dockerignore" "$work/repo/"

expect_failure() { # DESCRIPTION SED-EXPRESSION EXPECTED-COMPLAINT
  sed "$2" "$repo/lambda/Dockerfile" >"$work/repo/lambda/Dockerfile"
  cmp -s "$repo/lambda/Dockerfile" "$work/repo/lambda/Dockerfile" &&
    { echo "FAIL: the mutation '$2' no longer changes the Dockerfile" >&2; exit 1; }
  if "$python" "$check" "$work/repo" >"$work/out.txt" 2>&1 || ! grep -qF "$3" "$work/out.txt"; then
    cat "$work/out.txt"
    echo "FAIL: check-dockerfile did not reject a Dockerfile that $1 with: $3" >&2
    exit 1
  fi
  echo "rejected as expected: $1"
}
expect_failure "puts our libc in /var/runtime/lib" 's|/opt/mediatriage/lib/|/var/runtime/lib/|' \
  "the runtime stage does not install /opt/mediatriage/lib/"
expect_failure "points LD_LIBRARY_PATH at the bundle" \
  's|ENV LD_LIBRARY_PATH=/lib64:/usr/lib64|ENV LD_LIBRARY_PATH=/opt/mediatriage/lib|' "LD_LIBRARY_PATH names /opt/mediatriage"
expect_failure "copies a file the repository does not have" 's|packaging/install-deps.sh /src|packaging/deps.sh /src|' \
  "COPY packaging/deps.sh: no such file"
expect_failure "copies the program before the libraries" \
  '/^COPY --from=builder \/bundle\/lib\//{h;d};/^COPY --from=builder \/bundle\/bin\//G' "is copied after bin/"
echo "lambda_dockerfile: all checks passed"

#!/usr/bin/env bash
# CTest run_qtest_selftest: tests/support/run-qtest.cmake decides skipped / passed / failed from a
# Qt Test executable's exit code and output. Fake executables print what Qt Test prints; each case
# checks the wrapper's exit code and whether its last line is the marker CTest's skip regex needs.
#   test-run-qtest.sh CMAKE RUN_QTEST_CMAKE
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 CMAKE RUN_QTEST_CMAKE" >&2; exit 2; }
cmake=$1 wrapper=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
marker='mt_add_test: every case was skipped \([0-9]+\)$'
failures=0

# fake NAME EXIT_CODE LINES...: an executable that prints LINES (and -functions: a, b, c) and exits.
fake() {
  local name=$1 rc=$2; shift 2
  {
    echo '#!/bin/sh'
    echo 'if [ "$1" = -functions ]; then printf "a()\nb()\nc()\n"; exit 0; fi'
    echo 'echo "args: $*"'
    printf 'echo "%s"\n' "$@"
    echo "exit $rc"
  } > "$work/$name"
  chmod +x "$work/$name"
}

# expect WHAT skipped|passed|failed NAME [-DVAR=VALUE...]
expect() {
  local what=$1 want=$2 name=$3; shift 3
  local rc=0 got
  "$cmake" -DMT_QTEST="$work/$name" "$@" -P "$wrapper" > "$work/out" 2>&1 || rc=$?
  if (( rc != 0 )); then got=failed
  elif tail -n 1 "$work/out" | grep -Eq "$marker"; then got=skipped
  else got=passed; fi
  if [[ $got == "$want" ]]; then
    echo "ok: $what -> $got"
  else
    echo "WRONG: $what -> $got, expected $want"; sed 's/^/    /' "$work/out"; failures=$((failures + 1))
  fi
}

init='PASS   : T::initTestCase()' cleanup='PASS   : T::cleanupTestCase()'
fake all-pass 0 "$init" 'PASS   : T::a()' 'PASS   : T::b(row)' "$cleanup" 'Totals: 4 passed, 0 failed, 0 skipped'
fake all-skip 0 "$init" 'SKIP   : T::a() no data' 'SKIP   : T::b() no data' "$cleanup" 'Totals: 2 passed, 0 failed, 2 skipped'
fake init-skip 0 'SKIP   : T::initTestCase() no server' 'Totals: 0 passed, 0 failed, 1 skipped'
fake part-skip 0 "$init" 'PASS   : T::a()' 'SKIP   : T::b() no data' "$cleanup" 'Totals: 3 passed, 0 failed, 1 skipped'
fake skip-and-fail 1 "$init" 'SKIP   : T::a() no data' 'FAIL!  : T::b() boom' "$cleanup" 'Totals: 2 passed, 1 failed, 1 skipped'
fake fail-line-exit-0 0 "$init" 'FAIL!  : T::b() boom' 'SKIP   : T::a() no data' "$cleanup"
fake nothing 0 'Totals: 0 passed, 0 failed, 0 skipped'
fake crash-after-skip 139 "$init" 'SKIP   : T::a() no data'
fake prints-marker 1 'mt_add_test: every case was skipped (3)'
fake passes-then-prints-marker 0 "$init" 'PASS   : T::a()' "$cleanup" 'mt_add_test: every case was skipped (3)'

expect "every case passed" passed all-pass
expect "every case skipped" skipped all-skip
expect "initTestCase skipped" skipped init-skip
expect "a skip inside a passing suite" failed part-skip
expect "a skip and a failure" failed skip-and-fail
expect "a FAIL! line despite exit 0" failed fail-line-exit-0
expect "no case ran" failed nothing
expect "a crash after a skip" failed crash-after-skip
expect "a failing test that prints the marker" failed prints-marker
expect "a passing test that prints the marker last" passed passes-then-prints-marker
expect "a skip-prone case run alone, partly skipped" passed part-skip -DMT_QTEST_ONLY=b
expect "a skip-prone case run alone, skipped" skipped all-skip -DMT_QTEST_ONLY=b
expect "the rest of a split suite" passed all-pass -DMT_QTEST_EXCEPT=b,c
grep -q '^args: a$' "$work/out" || { echo "WRONG: MT_QTEST_EXCEPT=b,c did not run exactly 'a'"; failures=$((failures + 1)); }
expect "SKIPPABLE names no such function" failed all-pass -DMT_QTEST_EXCEPT=nope

(( failures == 0 )) || { echo "$failures wrong"; exit 1; }
echo "run-qtest.cmake: all cases behave"

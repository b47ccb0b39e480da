# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034 # work, media, runs come from the sourcing script; wall, rss go to it
# Shared by the thumbnail benchmarks (thumbnail-benchmark.sh, raw-thumbnails/run.sh): sourced, not
# run. The timing loop and the output checks, so that every benchmark times the same way and
# never times a tool that failed as fast.
#
# The sourcing script sets, before calling these:
#   work   a scratch folder it owns (stdout, stderr and the time of the last run land there)
#   media  the generated media folder
#   runs   repetitions per measurement (run reports the median)

# require_tools TOOL...: stops the benchmark when one is not installed.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool (packaging/install-deps.sh --bench)" >&2; exit 2; }
  done
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
fail() { echo "FAILED: $*" >&2; exit 1; }
count() { ls "$media/$1" | wc -l; }

# check_pictures N MIN MAX FILE...: N files, each decodes completely, long edge within [MIN, MAX].
check_pictures() {
  local n=$1 min=$2 max=$3; shift 3
  (( $# == n )) || fail "expected $n pictures, found $# (${1:-none})"
  identify -regard-warnings -format '%w %h\n' "$@" > "$work/sizes" 2>"$work/identify.err" ||
    { cat "$work/identify.err" >&2; fail "a picture does not decode"; }
  awk -v n="$n" -v lo="$min" -v hi="$max" '{ e = $1 > $2 ? $1 : $2 } e >= lo && e <= hi && $1 > 0 && $2 > 0 { ok++ }
    END { exit ok != n }' "$work/sizes" || fail "a picture's size is implausible (want $min..$max px): $(sort -u "$work/sizes" | tr '\n' ' ')"
}

# check_ours N MIN MAX: mediatriage-cli thumb --json printed one entry per input, each without an
# error, with a thumbnail file whose long edge is within [MIN, MAX] (said and decoded).
check_ours() {
  python3 - "$work/stdout" "$1" "$2" "$3" > "$work/thumbs" <<'PY' || fail "mediatriage-cli thumb output is incomplete"
import json, os, sys
entries, n, lo, hi = json.load(open(sys.argv[1], encoding="utf-8")), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
bad = [e for e in entries if e.get("error") or not os.path.isfile(e.get("thumbnail") or "")
       or not lo <= max(e.get("width", 0), e.get("height", 0)) <= hi]
if len(entries) != n or bad:
    sys.exit(f"{len(entries)} entries for {n} files; {len(bad)} bad, e.g. {bad[:1]}")
for e in entries:
    print(e["thumbnail"])
PY
  local thumbs; mapfile -t thumbs < "$work/thumbs"
  check_pictures "$1" "$2" "$3" "${thumbs[@]}"
}

# check_out N MIN MAX GLOB: the reference tools wrote one picture per input where GLOB finds them.
check_out() {
  shopt -s nullglob
  # shellcheck disable=SC2206 # GLOB is meant to expand here
  local f=($4)
  shopt -u nullglob
  check_pictures "$1" "$2" "$3" "${f[@]}"
}

# run KEY CHECK... -- COMMAND...: runs COMMAND $runs times, each with fresh $work/out and $work/in
# folders and a cold cache (XDG_CACHE_HOME), checks every run's output with CHECK..., and records
# the median wall time in wall[KEY] and the peak RSS (KB) in rss[KEY]. A command that fails stops
# the benchmark: it is never timed as fast.
declare -gA wall rss
run() {
  local key=$1; shift
  local check=()
  while [[ $1 != -- ]]; do check+=("$1"); shift; done
  shift
  local walls=() peak=0 w r rc i
  for ((i = 0; i < runs; i++)); do
    rm -rf "$work/out" "$work/in" "$work/xdg"; mkdir -p "$work/out" "$work/in" "$work/xdg"
    rc=0
    XDG_CACHE_HOME="$work/xdg" /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?
    (( rc == 0 )) || { tail -n 20 "$work/stderr" >&2; fail "$key: $* exited with $rc"; }
    "${check[@]}" || fail "$key: the output check failed"
    read -r w r < <(tail -n 1 "$work/time")
    walls+=("$w")
    (( r > peak )) && peak=$r
  done
  wall[$key]=$(printf '%s\n' "${walls[@]}" | median)
  rss[$key]=$peak
}

rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", (t > 0 ? n / t : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

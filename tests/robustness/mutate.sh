#!/usr/bin/env bash
# Mutation campaign: damages real photos and videos with zzuf (and by cutting them short, like an
# interrupted copy), then runs every mediatriage-cli command on each damaged file under a time
# limit. A command may refuse a file (non-zero exit with a message: a clean error); it must never
# hang or crash. Exits 1 when any run hung or crashed, 2 on bad usage.
#
#   tests/robustness/mutate.sh                               build/bin/mediatriage-cli, defaults
#   tests/robustness/mutate.sh --cli build-asan/bin/mediatriage-cli --files 11 --seeds 5
#
# Options:
#   --cli PATH         the CLI to test (default build/bin/mediatriage-cli); an ASan/UBSan build
#                      (packaging/build.sh asan) also reports memory errors as crashes
#   --media DIR        a folder of originals; repeat for several (default
#                      <repo>/../shared/testdata/media and .../damaged)
#   --files N          how many originals, taken in turn from each kind (jpg, heic, mp4, mov, ...)
#                      smallest first (default: all)
#   --seeds N          zzuf seeds per original and ratio (default 3)
#   --ratios "R..."    zzuf bit-flip ratios (default "0.0005 0.004 0.02")
#   --cuts "F..."      also keep this fraction of each original's bytes (default "0.5"; "" for none)
#   --commands "C..."  of info thumb analyze compress triage (default all)
#   --timeout S        seconds one command may take on one file (default 60)
#   --work DIR         where damaged files and logs go (default a new temporary folder; kept when
#                      something hung or crashed, so the files can be replayed)
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)

cli=$repo/build/bin/mediatriage-cli
media_dirs=()
files=0
seeds=3
ratios="0.0005 0.004 0.02"
cuts="0.5"
commands="info thumb analyze compress triage"
limit=60
work=""
usage() { sed -n '2,25p' "$0"; }
while (($#)); do
  case "$1" in
    --cli) cli=$2; shift 2 ;;
    --media) media_dirs+=("$2"); shift 2 ;;
    --files) files=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --ratios) ratios=$2; shift 2 ;;
    --cuts) cuts=$2; shift 2 ;;
    --commands) commands=$2; shift 2 ;;
    --timeout) limit=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "mutate.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
((${#media_dirs[@]})) || media_dirs=("$repo/../shared/testdata/media" "$repo/../shared/testdata/damaged")
for tool in zzuf timeout; do
  command -v "$tool" >/dev/null || { echo "mutate.sh: $tool is missing (packaging/install-deps.sh installs it)" >&2; exit 2; }
done
[[ -x $cli ]] || { echo "mutate.sh: no CLI at $cli (build it, or pass --cli)" >&2; exit 2; }
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")

# Originals: every media file, smallest first, then taken in turn from each extension so that a
# small --files still covers every kind.
originals=()
while IFS= read -r f; do originals+=("$f"); done < <(
  find "${media_dirs[@]}" -maxdepth 1 -type f \
    \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.heic' -o -iname '*.heif' -o -iname '*.png' \
       -o -iname '*.mp4' -o -iname '*.mov' -o -iname '*.webm' -o -iname '*.mkv' \) -printf '%s\t%p\n' 2>/dev/null |
    sort -n | cut -f2 |
    awk '{ ext = tolower($0); sub(/.*\./, "", ext); n[ext]++; printf "%06d\t%s\n", n[ext], $0 }' |
    sort -s -n -k1,1 | cut -f2)
((${#originals[@]})) || { echo "mutate.sh: no media found in ${media_dirs[*]}" >&2; exit 2; }
((files > 0 && files < ${#originals[@]})) && originals=("${originals[@]:0:files}")

own_work=0
[[ -n $work ]] || { work=$(mktemp -d "${TMPDIR:-/tmp}/mutate.XXXXXX"); own_work=1; }
mkdir -p "$work/damaged" "$work/logs" "$work/out" "$work/home"
# Nothing of the person running this is read or written: cache, verdict store, settings.
export HOME=$work/home XDG_CACHE_HOME=$work/home/.cache XDG_DATA_HOME=$work/home/.local/share \
  XDG_CONFIG_HOME=$work/home/.config QT_QPA_PLATFORM=offscreen LC_ALL=C.UTF-8
unset GEMINI_API_KEY
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# The damaged copies, after the originals themselves (some are damaged already).
damaged=("${originals[@]}")
for original in "${originals[@]}"; do
  base=$(basename "$original")
  stem=${base%.*} ext=${base##*.}
  for ratio in $ratios; do
    for ((seed = 1; seed <= seeds; seed++)); do
      out=$work/damaged/$stem.zzuf-r$ratio-s$seed.$ext
      zzuf -s "$seed" -r "$ratio" <"$original" >"$out" && damaged+=("$out")
    done
  done
  for cut in $cuts; do
    out=$work/damaged/$stem.cut$cut.$ext
    head -c "$(awk -v s="$(stat -c %s "$original")" -v f="$cut" 'BEGIN { printf "%d", s * f }')" "$original" >"$out"
    damaged+=("$out")
  done
done

is_video() { [[ ${1,,} =~ \.(mp4|mov|webm|mkv)$ ]]; }

# Runs one command on one file; prints its verdict word: ok, error, hang, crash.
run_one() {
  local command=$1 file=$2 log=$3 rc args
  case "$command" in
    info) args=(info --json "$file") ;;
    thumb) args=(thumb --out "$work/out" --timeout 20 "$file") ;;
    analyze) args=(analyze --json "$file") ;;
    compress) args=(compress "$file" "$work/out/compressed.webm") ;;
    triage) args=(triage --engine local --json "$file") ;;
  esac
  # SIGTERM first (compress cancels cleanly on it), SIGKILL 5 s later for what ignores it.
  timeout -k 5 "$limit" "$cli" "${args[@]}" >"$log" 2>&1 </dev/null
  rc=$?
  if ((rc == 124 || rc == 137)); then
    echo hang
  elif ((rc > 128)) || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|^SUMMARY: ' "$log"; then
    echo crash
  elif ((rc == 0)); then
    echo ok
  elif [[ -s $log ]]; then
    echo error
  else
    echo mute
  fi
}

declare -A count
problems=()
runs=0
start=$SECONDS
echo "mutate: ${#originals[@]} originals + $((${#damaged[@]} - ${#originals[@]})) damaged copies in $work/damaged; commands: $commands; limit ${limit}s; CLI $cli"
for file in "${damaged[@]}"; do
  name=$(basename "$file")
  for command in $commands; do
    [[ $command == compress ]] && ! is_video "$file" && continue
    log=$work/logs/$name.$command.log
    t0=$SECONDS
    verdict=$(run_one "$command" "$file" "$log")
    runs=$((runs + 1))
    count[$command.$verdict]=$((${count[$command.$verdict]:-0} + 1))
    case "$verdict" in
      hang|crash)
        problems+=("$verdict $command $file")
        echo "  ${verdict^^}: $command $name ($((SECONDS - t0)) s) log $log"
        grep -m3 -E 'ERROR|runtime error|SUMMARY|deinit' "$log" | sed 's/^/      /' ;;
      mute) echo "  no message: $command $name exited non-zero without saying why (log $log)" ;;
    esac
  done
done

echo
echo "== mutation campaign: ${#originals[@]} originals + $((${#damaged[@]} - ${#originals[@]})) damaged copies, $runs runs in $((SECONDS - start)) s"
printf '%-9s %6s %6s %6s %6s %6s\n' command ok error mute hang crash
for command in $commands; do
  printf '%-9s %6d %6d %6d %6d %6d\n' "$command" "${count[$command.ok]:-0}" "${count[$command.error]:-0}" \
    "${count[$command.mute]:-0}" "${count[$command.hang]:-0}" "${count[$command.crash]:-0}"
done
if ((${#problems[@]})); then
  echo "${#problems[@]} hangs/crashes (damaged files and logs kept in $work):"
  printf '  %s\n' "${problems[@]}"
  exit 1
fi
((own_work)) && rm -rf "$work"
echo "no hang, no crash"

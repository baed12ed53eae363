#!/usr/bin/env bash
# The memory target (performance.md): RSS <= 64 MiB for the reference workload without ground
# truth, the same (+- 5 %) after 1,000,000 and 10,000,000 lines.
#
#   bench/memory.sh [MODELWATCH]       MODELWATCH defaults to build/modelwatch
# Environment: BENCH_BIN (mw_gen's folder), FIRST (1000000), SECOND (10000000), CPU (1), KEEP=1.
# The log (about 390 bytes a line: 3.9 GB for 10 M lines) is written into TMPDIR (/tmp) and
# deleted at exit. Event times run at 200 lines/s and end near now, so the live daemon's
# windows (5m, 1h, 24h) hold the lines as they would in production. Two measurements:
# - live: the daemon tails the log from its beginning, with state.directory set (checkpoints
#   every 10 s, and the committed copy of the aggregates they imply, as in production); VmRSS
#   (/proc/PID/status) once it has
#   read FIRST lines, then again after the log grew to SECOND lines (appended by mw_gen
#   --first-line while the daemon runs). VmHWM (the peak) beside it.
# - one-shot: peak RSS (/usr/bin/time %M) of `run --one-shot` over FIRST lines and over SECOND
#   lines (the same file); it includes the reference load and the final render.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
mw="$(readlink -f "${1:-build/modelwatch}")"
bin="${BENCH_BIN:-$(dirname "$mw")/bench}"
first="${FIRST:-1000000}"
second="${SECOND:-10000000}"
[[ -x "$mw" ]] || bench_die "no modelwatch binary at $mw"
[[ -x "$bin/mw_gen" ]] || bench_die "no $bin/mw_gen (build target mw_gen, or set BENCH_BIN)"
[[ -x /usr/bin/time ]] || bench_die "no /usr/bin/time (apt-get install time)"
((second > first)) || bench_die "SECOND must be larger than FIRST"
bench_pin "${CPU:-1}"

dir="$(mktemp -d "${TMPDIR:-/tmp}/mw-memory-XXXXXX")"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [[ "${KEEP:-0}" == 1 ]]; then echo "files kept in $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT
log="$dir/predictions.jsonl"
start=$(( $(date +%s) - second / 200 ))  # the last of SECOND lines is stamped about now

echo "generating $first lines (then up to $second) in $dir"
"$bin/mw_gen" --lines "$first" --start "$start" --out "$log" --reference "$dir/reference.jsonl" \
  --reference-rows 50000
port="$(free_port)"
url="http://127.0.0.1:$port"
mkdir "$dir/state"
BENCH_TOP="server: { listen_address: \"127.0.0.1:$port\" }
state: { directory: $dir/state }" \
  write_workload_config "$dir/bench.yaml" "$log" "$dir/reference.jsonl"
series='modelwatch_source_lines_total{model="fraud-detector",source="predictions"}'

oneshot_rss() {  # peak RSS KiB of one-shot over the log as it is now
  "${PIN[@]}" /usr/bin/time -f '%M' -o "$dir/rss" "$mw" run --config "$dir/bench.yaml" \
    --one-shot >/dev/null
  tail -n 1 "$dir/rss"
}
one_first="$(oneshot_rss)"

"${PIN[@]}" "$mw" run --config "$dir/bench.yaml" >"$dir/daemon.log" 2>&1 &
pid=$!
wait_ready "$url" 120 || { cat "$dir/daemon.log"; bench_die "daemon not ready"; }
wait_metric "$url" "$series" "$first" 600 || bench_die "the daemon did not read $first lines"
sleep 2  # a tick or two after the last line
live_first="$(rss_kib "$pid")"
echo "live after $first lines: VmRSS $live_first KiB; appending $((second - first)) more"
"$bin/mw_gen" --lines "$((second - first))" --first-line "$first" --start "$start" --append \
  --out "$log"
wait_metric "$url" "$series" "$second" 1800 || bench_die "the daemon did not read $second lines"
sleep 2
live_second="$(rss_kib "$pid")"
live_peak="$(rss_kib "$pid" VmHWM)"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
one_second="$(oneshot_rss)"

report() {  # NAME RSS_FIRST RSS_SECOND
  awk -v n="$1" -v a="$2" -v b="$3" -v f="$first" -v s="$second" 'BEGIN {
    d = 100 * (b - a) / a; mib = (a > b ? a : b) / 1024
    printf "%-9s %9d KiB after %d lines, %9d KiB after %d lines: %+.1f %% (flat within 5 %%: %s), %.1f MiB (<= 64 MiB: %s)\n",
      n, a, f, b, s, d, (d <= 5 && d >= -5) ? "met" : "NOT MET", mib, (mib <= 64) ? "met" : "NOT MET"
  }'
}
echo
report live "$live_first" "$live_second"
echo "          (live VmHWM, the daemon's peak over the whole run: $live_peak KiB)"
report one-shot "$one_first" "$one_second"

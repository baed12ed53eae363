#!/usr/bin/env bash
# The live-overhead target (performance.md): <= 2 % of one core at 2,000 predictions/s.
#
#   bench/overhead.sh [MODELWATCH]     MODELWATCH defaults to build/modelwatch
# Environment: BENCH_BIN (mw_gen's folder), RATE (2000 lines/s), SECONDS_LIVE (60),
#   SCRAPE_EVERY (15: a /metrics scrape with gzip every 15 s, as Prometheus does; 0: none),
#   CPU (1: the daemon's core; the writer runs on another one when there is one), KEEP=1.
# The daemon starts on the reference workload's configuration (reference of 50,000 rows, state in
# a directory, checkpoints every 10 s) with `start_at: end` on an empty log; once it is ready,
# `mw_gen --rate` appends RATE lines a second, each with its own write(2) and stamped with the
# time it is written, for SECONDS_LIVE seconds. The overhead is the daemon's CPU time (utime +
# stime from /proc/PID/stat, so other processes on a shared machine do not inflate it) over
# the writer's wall time.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
mw="$(readlink -f "${1:-build/modelwatch}")"
bin="${BENCH_BIN:-$(dirname "$mw")/bench}"
rate="${RATE:-2000}"
live="${SECONDS_LIVE:-60}"
scrape_every="${SCRAPE_EVERY:-15}"
cpu="${CPU:-1}"
[[ -x "$mw" ]] || bench_die "no modelwatch binary at $mw"
[[ -x "$bin/mw_gen" ]] || bench_die "no $bin/mw_gen (build target mw_gen, or set BENCH_BIN)"
bench_pin "$cpu"
writer_pin=()
if ((${#PIN[@]})) && taskset -c 0 true 2>/dev/null && [[ "$cpu" != 0 ]]; then
  writer_pin=(taskset -c 0)
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/mw-overhead-XXXXXX")"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [[ "${KEEP:-0}" == 1 ]]; then echo "files kept in $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT

"$bin/mw_gen" --lines 0 --out "$dir/predictions.jsonl" --reference "$dir/reference.jsonl" \
  --reference-rows 50000
port="$(free_port)"
url="http://127.0.0.1:$port"
mkdir "$dir/state"
BENCH_START_AT=end BENCH_TOP="server: { listen_address: \"127.0.0.1:$port\" }
state: { directory: $dir/state }" \
  write_workload_config "$dir/bench.yaml" "$dir/predictions.jsonl" "$dir/reference.jsonl"
"${PIN[@]}" "$mw" run --config "$dir/bench.yaml" >"$dir/daemon.log" 2>&1 &
pid=$!
wait_ready "$url" 60 || { cat "$dir/daemon.log"; bench_die "daemon not ready"; }
sleep 2  # past the first checkpoint and tick
lines=$(awk -v r="$rate" -v s="$live" 'BEGIN {printf "%d", r * s}')
echo "appending $lines lines at $rate lines/s for $live s (scrape every ${scrape_every}s)"
c0="$(cpu_ticks "$pid")"
t0="$(date +%s.%N)"
"${writer_pin[@]}" "$bin/mw_gen" --rate "$rate" --lines "$lines" --append \
  --out "$dir/predictions.jsonl" &
writer=$!
if ((scrape_every > 0)); then
  while kill -0 "$writer" 2>/dev/null; do
    curl -fsS -H 'Accept-Encoding: gzip' "$url/metrics" -o /dev/null || true
    for ((i = 0; i < scrape_every * 10; ++i)); do
      kill -0 "$writer" 2>/dev/null || break
      sleep 0.1
    done
  done
fi
wait "$writer"
t1="$(date +%s.%N)"
c1="$(cpu_ticks "$pid")"
hz="$(getconf CLK_TCK)"
wait_metric "$url" 'modelwatch_source_lines_total{model="fraud-detector",source="predictions"}' \
  "$lines" 30 || bench_die "the daemon did not read every line"
awk -v c="$((c1 - c0))" -v hz="$hz" -v a="$t0" -v b="$t1" -v r="$rate" 'BEGIN {
  cpu = c / hz; wall = b - a; pct = 100 * cpu / wall
  printf "daemon CPU %.2f s over %.1f s at %d lines/s: %.2f %% of one core, target <= 2 %%: %s\n",
    cpu, wall, r, pct, (pct <= 2) ? "met" : "NOT MET"
}'
echo "daemon VmRSS $(rss_kib "$pid") KiB, VmHWM $(rss_kib "$pid" VmHWM) KiB"

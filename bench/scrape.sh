#!/usr/bin/env bash
# The scrape targets (performance.md): `/metrics` p99 <= 10 ms with gzip for the reference
# workload's daemon, <= 50 ms for a configuration of 200 features.
#
#   bench/scrape.sh [MODELWATCH]       MODELWATCH defaults to build/modelwatch
# Environment: BENCH_BIN (mw_gen's folder; default <MODELWATCH's folder>/bench), SCRAPES (200),
#   LINES (300000: 25 minutes of log time at 200 lines/s, ending now, so every window holds
#   data), WIDE_FEATURES (200), WIDE_LINES (20000), CPU (1: the daemon's core), KEEP=1.
# Each daemon reads its log, publishes, and is then scraped SCRAPES times one after the other on
# one keep-alive connection with `Accept-Encoding: gzip` (bench/mwclient.py), then SCRAPES times
# without gzip. Latency is wall-clock per request on loopback, so a busy machine shows in the
# tail: run it on a quiet machine, and compare p50 with p99. Beside it, the CPU time the
# daemon's HTTP threads spent on each request (mwclient.py --pid): what a scrape costs when a
# core is free, the number to hold against the target on a shared machine. `uptime` is printed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
mw="$(readlink -f "${1:-build/modelwatch}")"
bin="${BENCH_BIN:-$(dirname "$mw")/bench}"
scrapes="${SCRAPES:-200}"
lines="${LINES:-300000}"
wide="${WIDE_FEATURES:-200}"
wide_lines="${WIDE_LINES:-20000}"
[[ -x "$mw" ]] || bench_die "no modelwatch binary at $mw"
[[ -x "$bin/mw_gen" ]] || bench_die "no $bin/mw_gen (build target mw_gen, or set BENCH_BIN)"
bench_pin "${CPU:-1}"

dir="$(mktemp -d "${TMPDIR:-/tmp}/mw-scrape-XXXXXX")"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [[ "${KEEP:-0}" == 1 ]]; then echo "files kept in $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT

# measure NAME CONFIG LINES TARGET_MS : start the daemon, wait for every line, scrape, report.
measure() {
  local name="$1" cfg="$2" n="$3" target="$4" port url gz plain p99 cpu99 series
  port="$(free_port)"
  url="http://127.0.0.1:$port"
  "${PIN[@]}" "$mw" run --config "$cfg" --web.listen-address "127.0.0.1:$port" \
    >"$dir/$name.log" 2>&1 &
  pid=$!
  wait_ready "$url" 120 || { cat "$dir/$name.log"; bench_die "$name: not ready"; }
  wait_metric "$url" "modelwatch_source_lines_total{model=\"$5\",source=\"predictions\"}" "$n" ||
    bench_die "$name: the log was not read"
  series="$(curl -fsS "$url/metrics" | grep -vc '^#')"
  gz="$(python3 "$here/mwclient.py" scrape "$url/metrics" --count "$scrapes" --gzip --pid "$pid")"
  plain="$(python3 "$here/mwclient.py" scrape "$url/metrics" --count "$scrapes" --pid "$pid")"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  p99="$(sed 's/.* p99_ms=\([0-9.]*\).*/\1/' <<<"$gz")"
  cpu99="$(sed 's/.* cpu_p99_ms=\([0-9.]*\).*/\1/' <<<"$gz")"
  printf '%-10s %6s series  gzip:  %s\n' "$name" "$series" "$gz"
  printf '%-10s %6s         plain: %s\n' "" "" "$plain"
  printf '%-10s with gzip: wall p99 %s ms (%s), CPU p99 %s ms (%s); target <= %s ms\n' \
    "$name" "$p99" "$(awk -v a="$p99" -v b="$target" 'BEGIN {print (a <= b) ? "met" : "NOT MET"}')" \
    "$cpu99" "$(awk -v a="$cpu99" -v b="$target" 'BEGIN {print (a <= b) ? "met" : "NOT MET"}')" \
    "$target"
}

echo "generating $lines workload lines and $wide_lines lines of $wide features in $dir"
"$bin/mw_gen" --lines "$lines" --end-now --out "$dir/predictions.jsonl" \
  --reference "$dir/reference.jsonl" --reference-rows 50000
"$bin/mw_gen" --wide "$wide" --lines "$wide_lines" --end-now --out "$dir/wide.jsonl" \
  --reference "$dir/wide_reference.jsonl" --reference-rows 20000
BENCH_TOP='server: { listen_address: "127.0.0.1:0" }' \
  write_workload_config "$dir/workload.yaml" "$dir/predictions.jsonl" "$dir/reference.jsonl"
write_wide_config "$dir/wide.yaml" "$dir/wide.jsonl" "$dir/wide_reference.jsonl" "$wide"

uptime
measure workload "$dir/workload.yaml" "$lines" 10 fraud-detector
measure "wide$wide" "$dir/wide.yaml" "$wide_lines" 50 wide

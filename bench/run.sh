#!/usr/bin/env bash
# `make bench` (performance.md "How to measure"): modelwatch `run --one-shot` against the floor
# (and mtail when installed) on one generated workload, pinned to one core, medians of RUNS runs.
#
#   bench/run.sh [MODELWATCH]        MODELWATCH defaults to build/modelwatch
# Environment: BENCH_BIN (folder holding mw_gen and mw_floor; default: <MODELWATCH's folder>/bench),
#   LINES (1000000), RUNS (5), CPU (1), KEEP=1 keeps the generated files.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mw="${1:-build/modelwatch}"
bin="${BENCH_BIN:-$(dirname "$mw")/bench}"
lines="${LINES:-1000000}"
runs="${RUNS:-5}"
cpu="${CPU:-1}"

die() { echo "bench: $*" >&2; exit 1; }
[[ -x "$mw" ]] || die "no modelwatch binary at $mw (build it, or pass its path)"
[[ -x "$bin/mw_gen" && -x "$bin/mw_floor" ]] ||
  die "no $bin/mw_gen or $bin/mw_floor (build targets mw_gen mw_floor, or set BENCH_BIN)"
(( runs >= 1 )) || die "RUNS must be >= 1"

pin=()
if command -v taskset >/dev/null && taskset -c "$cpu" true 2>/dev/null; then
  pin=(taskset -c "$cpu")
  echo "pinned to CPU $cpu with taskset"
else
  echo "NOT pinned (taskset missing or CPU $cpu unavailable): numbers are noisier"
fi
timer=()
if [[ -x /usr/bin/time ]]; then timer=(/usr/bin/time -f '%M' -o); fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/mw-bench-XXXXXX")"
if [[ "${KEEP:-0}" == 1 ]]; then echo "files kept in $dir"; else trap 'rm -rf "$dir"' EXIT; fi
log="$dir/predictions.jsonl"

echo "generating $lines lines + 50000 reference rows in $dir"
"$bin/mw_gen" --lines "$lines" --out "$log" --reference "$dir/reference.jsonl" \
  --reference-rows 50000 || die "mw_gen failed"

cfg="$dir/bench.yaml"
{
  echo "engine: { tick_interval: 1s }"
  echo "resources: { gpu: none, filesystems: [] }"
  echo "defaults:"
  echo "  windows: [5m, 1h, 24h]"
  echo "  drift: { method: auto }"
  echo "models:"
  echo "  - name: fraud-detector"
  echo "    source: { paths: [\"$log\"], start_at: beginning }"
  echo "    record:"
  echo "      timestamp: { path: /ts, format: rfc3339 }"
  echo "      request_id: /request_id"
  echo "      model_version: /model_version"
  echo "      latency: { path: /latency_ms, unit: milliseconds }"
  echo "    features:"
  for f in amount age account_age_days num_transactions_24h distance_from_home_km hour_of_day \
           velocity_1h credit_limit; do
    echo "      - { name: $f, path: /inputs/$f, type: numeric }"
  done
  for f in country merchant_category device_type payment_method; do
    echo "      - { name: $f, path: /inputs/$f, type: categorical }"
  done
  echo "    outputs:"
  echo "      - { name: score, path: /outputs/score, type: numeric }"
  echo "      - { name: predicted, path: /outputs/label, type: categorical }"
  echo "    reference: { path: reference.jsonl, format: rows, target: target }"
} >"$cfg"
cat "$log" >/dev/null  # into the page cache: every run reads from memory

now() { date +%s.%N; }
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# measure NAME CMD...: RUNS wall-clock runs; sets rate_NAME (median lines/s), rss_NAME (KiB).
measure() {
  local name="$1"; shift
  local rates=() rss=() i t0 t1
  for ((i = 0; i < runs; ++i)); do
    t0=$(now)
    if ((${#timer[@]})); then
      "${timer[@]}" "$dir/rss" "${pin[@]}" "$@" >/dev/null 2>"$dir/err" ||
        { cat "$dir/err" >&2; die "$name failed: $*"; }
      rss+=("$(tail -n 1 "$dir/rss")")
    else
      "${pin[@]}" "$@" >/dev/null 2>"$dir/err" || { cat "$dir/err" >&2; die "$name failed: $*"; }
    fi
    t1=$(now)
    rates+=("$(awk -v n="$lines" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", n / (b - a)}')")
  done
  printf -v "rate_$name" '%s' "$(printf '%s\n' "${rates[@]}" | median)"
  printf -v "rss_$name" '%s' "$( ((${#rss[@]})) && printf '%s\n' "${rss[@]}" | sort -g | tail -n 1 || echo n/a)"
  echo "  $name: lines/s per run: ${rates[*]}"
}

echo "running each $runs times"
measure floor "$bin/mw_floor" "$log"
measure modelwatch "$mw" run --config "$cfg" --one-shot
have_mtail=0
if command -v mtail >/dev/null; then
  have_mtail=1
  measure mtail mtail --one_shot --logtostderr --progs "$here/mtail/fraud.mtail" --logs "$log"
fi

echo
printf '%-12s %14s %10s %14s\n' program "lines/s" "x floor" "peak RSS KiB"
row() { printf '%-12s %14s %10s %14s\n' "$1" "$2" \
  "$(awk -v a="$2" -v b="$rate_floor" 'BEGIN {printf "%.3f", a / b}')" "$3"; }
row floor "$rate_floor" "$rss_floor"
row modelwatch "$rate_modelwatch" "$rss_modelwatch"
if ((have_mtail)); then
  row mtail "$rate_mtail" "$rss_mtail"
else
  echo "mtail not installed (apt-get install mtail)"
fi
echo "(medians of $runs wall-clock runs over $lines lines, $(($(stat -c %s "$log") / 1048576)) MiB)"

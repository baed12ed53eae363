#!/usr/bin/env bash
# `make bench` (performance.md "How to measure"): modelwatch `run --one-shot` against the floor
# (and mtail when installed) on one generated workload, pinned to one core, medians of RUNS runs.
#
#   bench/run.sh [MODELWATCH]        MODELWATCH defaults to build/modelwatch
# Environment: BENCH_BIN (folder holding mw_gen and mw_floor; default: <MODELWATCH's folder>/bench),
#   LINES (1000000), RUNS (5), CPU (1), KEEP=1 keeps the generated files,
#   ALL_METHODS=1 adds the row `all_methods`: modelwatch with every drift method on every feature
#   and output (wasserstein on numeric fields, jensenshannon on categorical ones, and every other
#   method as extra_methods where it applies; performance.md's bar: >= 0.25 x the floor).
# The programs run in interleaved rounds (floor, modelwatch, ... , then again), so a noisy
# neighbour slows all of them alike; `x floor` is the ratio of the medians, `round x` the median of
# the per-round ratios.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"  # write_workload_config, median, bench_pin
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

bench_pin "$cpu"  # sets PIN
timer=()
if [[ -x /usr/bin/time ]]; then timer=(/usr/bin/time -f '%M' -o); fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/mw-bench-XXXXXX")"
if [[ "${KEEP:-0}" == 1 ]]; then echo "files kept in $dir"; else trap 'rm -rf "$dir"' EXIT; fi
log="$dir/predictions.jsonl"

echo "generating $lines lines + 50000 reference rows in $dir"
"$bin/mw_gen" --lines "$lines" --out "$log" --reference "$dir/reference.jsonl" \
  --reference-rows 50000 || die "mw_gen failed"

cfg="$dir/bench.yaml"
write_workload_config "$cfg" "$log" "$dir/reference.jsonl"
all_methods=0
if [[ "${ALL_METHODS:-0}" == 1 ]]; then
  all_methods=1
  write_workload_config "$dir/all.yaml" "$log" "$dir/reference.jsonl" all
fi
cat "$log" >/dev/null  # into the page cache: every run reads from memory

now() { date +%s.%N; }

# run_once NAME CMD...: one wall-clock run; appends to rates_NAME (lines/s) and rss_NAME (KiB).
run_once() {
  local -n rates="rates_$1" rss="rss_$1"
  local name="$1" t0 t1
  shift
  t0=$(now)
  if ((${#timer[@]})); then
    "${timer[@]}" "$dir/rss" "${PIN[@]}" "$@" >/dev/null 2>"$dir/err" ||
      { cat "$dir/err" >&2; die "$name failed: $*"; }
    rss+=("$(tail -n 1 "$dir/rss")")
  else
    "${PIN[@]}" "$@" >/dev/null 2>"$dir/err" || { cat "$dir/err" >&2; die "$name failed: $*"; }
  fi
  t1=$(now)
  rates+=("$(awk -v n="$lines" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", n / (b - a)}')")
}

names=(floor modelwatch)
if ((all_methods)); then names+=(all_methods); fi
have_mtail=0
mtail_cmd=(mtail --one_shot --one_shot_format prometheus --logtostderr --port 0
  --progs "$here/mtail/fraud.mtail" --logs "$log")
if command -v mtail >/dev/null; then
  have_mtail=1
  names+=(mtail)
  # mtail exits 0 even when its program does not compile: check on the first 10,000 lines that
  # it counts every line and bins the fields before timing it.
  head -n 10000 "$log" >"$dir/check.jsonl"
  check=$(grep -c . "$dir/check.jsonl")
  mtail --one_shot --one_shot_format prometheus --logtostderr --port 0 \
    --progs "$here/mtail/fraud.mtail" --logs "$dir/check.jsonl" >"$dir/mtail.prom" \
    2>"$dir/mtail.err" || true
  counted="$(awk '/^fraud_predictions_total\{/ {print $NF}' "$dir/mtail.prom")"
  binned="$(awk '/^fraud_score_count\{/ {print $NF}' "$dir/mtail.prom")"
  [[ "$counted" == "$check" && "$binned" == "$check" ]] ||
    { grep -v '^I' "$dir/mtail.err" >&2; die "mtail counted '$counted' lines, binned '$binned' scores, not $check"; }
fi
for n in "${names[@]}"; do declare -a "rates_$n=()" "rss_$n=()"; done

echo "running each $runs times, interleaved: ${names[*]}"
for ((i = 0; i < runs; ++i)); do
  run_once floor "$bin/mw_floor" "$log"
  run_once modelwatch "$mw" run --config "$cfg" --one-shot
  if ((all_methods)); then run_once all_methods "$mw" run --config "$dir/all.yaml" --one-shot; fi
  if ((have_mtail)); then
    run_once mtail "${mtail_cmd[@]}"
  fi
done
# summarize NAME: sets rate_NAME (median lines/s), rss_NAME (largest KiB) and ratio_NAME (the
# median over rounds of NAME's rate / the floor's rate in the same round).
summarize() {
  local -n r="rates_$1" m="rss_$1" f=rates_floor
  local i
  echo "  $1: lines/s per run: ${r[*]}"
  printf -v "rate_$1" '%s' "$(printf '%s\n' "${r[@]}" | median)"
  printf -v "rss_$1" '%s' "$( ((${#m[@]})) && printf '%s\n' "${m[@]}" | sort -g | tail -n 1 || echo n/a)"
  printf -v "ratio_$1" '%s' "$(for ((i = 0; i < runs; ++i)); do
    awk -v a="${r[i]}" -v b="${f[i]}" 'BEGIN {printf "%.6f\n", a / b}'; done | median)"
}
for n in "${names[@]}"; do summarize "$n"; done

echo
printf '%-12s %14s %10s %10s %14s\n' program "lines/s" "x floor" "round x" "peak RSS KiB"
row() {
  local rate_of="rate_$1" rss_of="rss_$1" ratio_of="ratio_$1" floor_of=rate_floor
  printf '%-12s %14.0f %10s %10.3f %14s\n' "$1" "${!rate_of}" \
    "$(awk -v a="${!rate_of}" -v b="${!floor_of}" 'BEGIN {printf "%.3f", a / b}')" "${!ratio_of}" \
    "${!rss_of}"
}
for n in "${names[@]}"; do row "$n"; done
if ((have_mtail)); then
  awk -v a="$rate_modelwatch" -v b="$rate_mtail" \
    'BEGIN {printf "modelwatch / mtail (medians of lines/s): %.2f\n", a / b}'
else
  echo "mtail not installed (make bench-deps, or apt-get install mtail)"
fi
echo "(medians of $runs wall-clock runs over $lines lines, $(($(stat -c %s "$log") / 1048576)) MiB)"

#!/usr/bin/env bash
# The start-up target (performance.md): ready <= 1 s with a checkpoint of the workload's state.
#
#   bench/startup.sh [MODELWATCH]      MODELWATCH defaults to build/modelwatch
# Environment: BENCH_BIN (mw_gen's folder), LINES (1000000), RUNS (5), CPU (1), KEEP=1.
# A daemon reads LINES lines of the reference workload (event times ending now) with
# state.directory set and stops (SIGTERM writes its last checkpoint). Then it is started RUNS
# times from that checkpoint; bench/mwclient.py measures each time from just before the process
# starts to the first 200 of /-/ready (polled every millisecond), and stops it. Twice: with the
# reference as 50,000 rows (reference.path), and as a `modelwatch baseline` file
# (reference.baseline, the same numbers). Medians of RUNS starts; the process is pinned.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
mw="$(readlink -f "${1:-build/modelwatch}")"
bin="${BENCH_BIN:-$(dirname "$mw")/bench}"
lines="${LINES:-1000000}"
runs="${RUNS:-5}"
[[ -x "$mw" ]] || bench_die "no modelwatch binary at $mw"
[[ -x "$bin/mw_gen" ]] || bench_die "no $bin/mw_gen (build target mw_gen, or set BENCH_BIN)"
bench_pin "${CPU:-1}"

dir="$(mktemp -d "${TMPDIR:-/tmp}/mw-startup-XXXXXX")"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [[ "${KEEP:-0}" == 1 ]]; then echo "files kept in $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT

echo "generating $lines lines in $dir"
"$bin/mw_gen" --lines "$lines" --end-now --out "$dir/predictions.jsonl" \
  --reference "$dir/reference.jsonl" --reference-rows 50000
port="$(free_port)"
url="http://127.0.0.1:$port"
mkdir "$dir/state"
top="server: { listen_address: \"127.0.0.1:$port\" }
state: { directory: $dir/state }"
BENCH_TOP="$top" write_workload_config "$dir/rows.yaml" "$dir/predictions.jsonl" \
  "$dir/reference.jsonl"
"$mw" baseline --config "$dir/rows.yaml" --model fraud-detector --out "$dir/baseline.json" \
  >/dev/null
BENCH_TOP="$top" BENCH_BASELINE="$dir/baseline.json" \
  write_workload_config "$dir/baseline.yaml" "$dir/predictions.jsonl" "$dir/reference.jsonl"

"${PIN[@]}" "$mw" run --config "$dir/rows.yaml" >"$dir/first.log" 2>&1 &
pid=$!
wait_ready "$url" 120 || { cat "$dir/first.log"; bench_die "daemon not ready"; }
wait_metric "$url" 'modelwatch_source_lines_total{model="fraud-detector",source="predictions"}' \
  "$lines" 600 || bench_die "the daemon did not read $lines lines"
kill "$pid"; wait "$pid" || true; pid=""
ls "$dir/state" | grep -q . || bench_die "no checkpoint in $dir/state"
echo "checkpoint: $(du -sk "$dir/state" | cut -f1) KiB in $dir/state"

met() { awk -v a="$1" 'BEGIN {print (a <= 1) ? "met" : "NOT MET"}'; }
for variant in rows baseline; do
  times=()
  cpus=()
  for ((i = 0; i < runs; ++i)); do
    out="$(python3 "$here/mwclient.py" ready "$url/-/ready" -- "${PIN[@]}" "$mw" run \
      --config "$dir/$variant.yaml")"
    times+=("$(sed 's/.*ready_s=\([0-9.]*\).*/\1/' <<<"$out")")
    cpus+=("$(sed 's/.*cpu_s=\([0-9.]*\).*/\1/' <<<"$out")")
  done
  m="$(printf '%s\n' "${times[@]}" | median)"
  c="$(printf '%s\n' "${cpus[@]}" | median)"
  printf 'ready from a checkpoint, reference as %-8s: wall median %.3f s (%s), CPU median %.2f s (%s) of %s starts; target <= 1 s\n' \
    "$variant" "$m" "$(met "$m")" "$c" "$(met "$c")" "$runs"
  echo "  wall: ${times[*]}; CPU: ${cpus[*]}"
done
# The checkpoint was read: the restarted daemon reports the lines of the first run.
"$mw" run --config "$dir/rows.yaml" >"$dir/last.log" 2>&1 &
pid=$!
wait_ready "$url" 60 || bench_die "daemon not ready"
sleep 1.5
restored="$(metric "$url" 'modelwatch_source_lines_total{model="fraud-detector",source="predictions"}')"
[[ "$restored" == "$lines" ]] || bench_die "after the restart the daemon reports $restored lines, not $lines"
echo "restored state verified: modelwatch_source_lines_total $restored"

#!/usr/bin/env bash
# The offline-check target (performance.md): `check` on 400,000 rows against 20,000 <= 0.7 s
# (Evidently's DataDriftPreset took 6.4-8.3 s on such a machine with the data already in pandas).
#
#   bench/check.sh [MODELWATCH]        MODELWATCH defaults to build/modelwatch
# Environment: BENCH_BIN (mw_gen's folder), ROWS (400000), REFERENCE_ROWS (20000), RUNS (5),
#   CPU (1), KEEP=1.
# CURRENT is ROWS flat rows of the workload's model (mw_gen's reference format, another seed),
# the reference REFERENCE_ROWS rows; `check --current-format rows --fail-on none` reads both,
# profiles the reference and reports every feature's and output's drift and data quality.
# Pinned; wall time and CPU time (user + system, /usr/bin/time) of each run, medians of RUNS.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
mw="$(readlink -f "${1:-build/modelwatch}")"
bin="${BENCH_BIN:-$(dirname "$mw")/bench}"
rows="${ROWS:-400000}"
ref_rows="${REFERENCE_ROWS:-20000}"
runs="${RUNS:-5}"
[[ -x "$mw" ]] || bench_die "no modelwatch binary at $mw"
[[ -x "$bin/mw_gen" ]] || bench_die "no $bin/mw_gen (build target mw_gen, or set BENCH_BIN)"
[[ -x /usr/bin/time ]] || bench_die "no /usr/bin/time (apt-get install time)"
bench_pin "${CPU:-1}"

dir="$(mktemp -d "${TMPDIR:-/tmp}/mw-check-XXXXXX")"
if [[ "${KEEP:-0}" == 1 ]]; then echo "files kept in $dir"; else trap 'rm -rf "$dir"' EXIT; fi

"$bin/mw_gen" --lines 0 --out "$dir/unused.jsonl" --reference "$dir/current.jsonl" \
  --reference-rows "$rows" --seed 7
"$bin/mw_gen" --lines 0 --out "$dir/unused.jsonl" --reference "$dir/reference.jsonl" \
  --reference-rows "$ref_rows"
write_workload_config "$dir/check.yaml" "$dir/unused.jsonl" "$dir/reference.jsonl"
cat "$dir/current.jsonl" "$dir/reference.jsonl" >/dev/null  # into the page cache

walls=()
cpus=()
for ((i = 0; i < runs; ++i)); do
  rc=0
  "${PIN[@]}" /usr/bin/time -f '%e %U %S' -o "$dir/time" "$mw" check --config "$dir/check.yaml" \
    --model fraud-detector --current "$dir/current.jsonl" --current-format rows \
    --fail-on none --format json >"$dir/report.json" || rc=$?
  ((rc == 0)) || { cat "$dir/report.json"; bench_die "check exited with $rc"; }
  read -r wall user sys <"$dir/time"
  walls+=("$wall")
  cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
done
grep -q "\"rows\":$rows" "$dir/report.json" || bench_die "the report does not hold $rows rows"
w="$(printf '%s\n' "${walls[@]}" | median)"
c="$(printf '%s\n' "${cpus[@]}" | median)"
met() { awk -v a="$1" 'BEGIN {print (a <= 0.7) ? "met" : "NOT MET"}'; }
printf 'check, %d rows against %d: wall median %.2f s (%s), CPU median %.2f s (%s) of %d runs; target <= 0.7 s\n' \
  "$rows" "$ref_rows" "$w" "$(met "$w")" "$c" "$(met "$c")" "$runs"
echo "  wall: ${walls[*]}; CPU: ${cpus[*]}"

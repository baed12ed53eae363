#!/usr/bin/env bash
# Runs every libFuzzer target (or those named) for FUZZ_SECONDS each, starting from the
# committed seed corpus; new inputs go to BUILD/corpus/<name> (the seeds are not touched).
# Usage: tests/fuzz/run.sh BUILD_DIR [name...]. Exit status non-zero on any crash, leak,
# sanitizer report or timeout; the input is left in BUILD/artifacts/.
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [target...]}
shift
seconds=${FUZZ_SECONDS:-60}
src=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(line_splitter record_parser config web_config baseline checkpoint http_request)
mkdir -p "$build/artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
status=0
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/${t}_fuzz
  [ -x "$bin" ] || { echo "no $bin (build with -DMODELWATCH_FUZZ=ON)"; exit 2; }
  mkdir -p "$build/corpus/$t"
  dict=()
  [ -f "$src/$t.dict" ] && dict=(-dict="$src/$t.dict")
  log=$build/fuzz-$t.log
  if "$bin" "$build/corpus/$t" "$src/corpus/$t" "${dict[@]}" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t-" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz $t: ${runs:-?} runs in ${seconds}s, $cov, 0 crashes"
  else
    echo "fuzz $t: FAILED (see $log)"
    grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5
    status=1
  fi
done
exit $status

# Writer/auditor: 1,000,000 lines with rename rotation every 100,000 (rotated files deleted
# three rotations later), then 200,000 with copytruncate every 20,000 (no line is written
# between a copy and its truncation): the daemon counts every
# line exactly once (lines = written, no duplicate request id, no byte counted as lost).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/state_lib.sh"
LINES=${LINES:-1000000}
EVERY=${EVERY:-100000}

run_mode() {  # MODE LINES EVERY RATE
  rm -rf "$WORK/logs" "$WORK/state"
  mkdir -p "$WORK/logs"
  state_config "$WORK/mw-$1.yaml" 127.0.0.1:0 "$WORK/state"
  start_modelwatch "$WORK/mw-$1.yaml" "$WORK/mw-$1.log"
  local port=$MW_PORT
  written=$(python3 "$WRITER" --dir "$WORK/logs" --lines "$2" --rotate-every "$3" --mode "$1" \
    --rate "$4" --burst 500 --keep 5)
  [ "$written" = "$2" ] || fail "writer wrote $written"
  WAIT_SECONDS=60 wait_for sh -c "[ \"\$(curl -fsS http://127.0.0.1:$port/metrics | grep -E '^modelwatch_source_lines_total\\{' | awk '{print \$NF}')\" = $2 ]" ||
    fail "$1: lines_total $(lines_total "$port") != $2"
  sleep 1.5  # one more tick and checkpoint: nothing more may arrive
  local lines dups lost rot trunc
  lines=$(lines_total "$port")
  dups=$(metric "$port" 'modelwatch_duplicate_request_ids_total\{')
  lost=$(curl -fsS "http://127.0.0.1:$port/metrics" | grep -E '^modelwatch_source_bytes_lost_total\{' | awk '{s+=$NF} END {print s}')
  rot=$(metric "$port" 'modelwatch_source_rotations_total\{')
  trunc=$(metric "$port" 'modelwatch_source_truncations_total\{')
  echo "$1: lines=$lines duplicates=$dups lost_bytes=$lost rotations=$rot truncations=$trunc"
  [ "$lines" = "$2" ] || fail "$1: $lines lines counted, $2 written"
  [ "$dups" = 0 ] || fail "$1: $dups duplicate request ids"
  [ "$lost" = 0 ] || fail "$1: $lost bytes counted as lost"
  kill "${PIDS[-1]}"
  wait "${PIDS[-1]}" 2>/dev/null || true
}

# Rename: 1 rotation/s, rotated files deleted five rotations later. copytruncate: 2 rotations/s (faster than one per poll interval, 200 ms,
# copies are made and deleted before anyone can see them: see docs/state.md).
run_mode rename "$LINES" "$EVERY" 100000
run_mode copytruncate $((LINES / 5)) $((EVERY / 5)) 40000
echo "PASS: rename and copytruncate rotation counted exactly"

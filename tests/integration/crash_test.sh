# Writer/auditor with crashes: while the writer writes LINES lines with rename rotation every
# EVERY lines, the daemon is killed with SIGKILL at random moments KILLS times and restarted
# (state in a directory, checkpoints every second). The final count equals what was written,
# no request id is counted twice, and no data-derived counter scraped during the run (every
# ~0.25 s, across restarts) ever decreases. The full variant (1,000,000 lines, 25 kills) is
# crash_slow.sh.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/state_lib.sh"
LINES=${LINES:-200000}
EVERY=${EVERY:-20000}
KILLS=${KILLS:-6}
RATE=${RATE:-$((LINES / 8))}
SEED=${SEED:-$RANDOM}
RANDOM=$SEED
echo "seed $SEED (rerun with SEED=$SEED)"

port=$(free_port)
state_config "$WORK/mw.yaml" "127.0.0.1:$port" "$WORK/state"
python3 "$WRITER" --dir "$WORK/logs" --lines "$LINES" --rotate-every "$EVERY" --rate "$RATE" \
  --burst 200 --settle 0.5 >"$WORK/written" &
WRITER_PID=$!
PIDS+=($WRITER_PID)

# The scraper: data-derived counters (source lines, bytes, predictions, duplicates, values,
# rejections) with their label sets, one file per scrape.
(
  i=0
  while :; do
    curl -fsS --max-time 1 "http://127.0.0.1:$port/metrics" 2>/dev/null |
      grep -E '^modelwatch_(source_lines_total|source_bytes_total|predictions_total|duplicate_request_ids_total|feature_values_total|source_lines_rejected_total|source_rotations_total|feature_bin_observations_total|feature_category_observations_total)\{' \
        >"$WORK/scrape.$i" && i=$((i + 1))
    sleep 0.25
  done
) &
PIDS+=($!)

start_daemon() {
  start_bg "$WORK/mw.$1.log" "$MW" run --config "$WORK/mw.yaml"
  DAEMON=${PIDS[-1]}
}
for k in $(seq 1 "$KILLS"); do
  start_daemon "$k"
  sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.3 + (r % 1700) / 1000 }')"
  kill -9 "$DAEMON" 2>/dev/null || true
  wait "$DAEMON" 2>/dev/null || true
done
start_daemon final
wait "$WRITER_PID" || fail "writer failed"
written=$(cat "$WORK/written")
WAIT_SECONDS=60 wait_for sh -c "[ \"\$(curl -fsS http://127.0.0.1:$port/metrics | grep -E '^modelwatch_source_lines_total\\{' | awk '{print \$NF}')\" = $written ]" ||
  fail "lines_total $(lines_total "$port") != written $written (see $WORK/mw.final.log)"
sleep 2
lines=$(lines_total "$port")
dups=$(metric "$port" 'modelwatch_duplicate_request_ids_total\{')
lost=$(curl -fsS "http://127.0.0.1:$port/metrics" | grep -E '^modelwatch_source_bytes_lost_total\{' | awk '{s+=$NF} END {print s}')
echo "written=$written counted=$lines duplicates=$dups lost_bytes=$lost kills=$KILLS"
[ "$lines" = "$written" ] || fail "$lines counted, $written written"
[ "$dups" = 0 ] || fail "$dups duplicate request ids"
[ "$lost" = 0 ] || fail "$lost bytes lost"

# Monotonic: for every series, its value never goes down from one scrape to the next.
scrapes=$(ls "$WORK" | grep -c '^scrape\.')
[ "$scrapes" -gt 10 ] || fail "only $scrapes scrapes"
ls "$WORK" | grep '^scrape\.' | sort -t. -k2 -n | sed "s|^|$WORK/|" | xargs cat | awk '
  { v = $NF; $NF = ""; k = $0
    if ((k in last) && v + 0 < last[k] + 0) { print "DECREASED: " k " " last[k] " -> " v; bad = 1 }
    last[k] = v }
  END { exit bad }' || fail "a counter decreased"
echo "PASS: $written lines counted exactly through $KILLS SIGKILLs; $scrapes scrapes monotonic"

# `modelwatch demo --traffic-only`, the model-server simulator of the compose stack and the
# Kubernetes pod: it writes the reference, the configuration and a live log into --dir at
# --rate lines per second with current event times, serves nothing, and exits 0 within a second
# of SIGTERM (a container's PID 1 must not ignore it). The configuration it writes runs as is.
source "$(dirname "$0")/lib.sh"

DIR=$WORK/logs
"$MW" demo --traffic-only --dir "$DIR" --rate 100 --scenario none >"$WORK/sim.log" 2>&1 &
sim=$!
PIDS+=("$sim")
WAIT_SECONDS=30 wait_for test -s "$DIR/modelwatch.yaml" || { cat "$WORK/sim.log"; fail "no configuration written"; }
[ "$(wc -l <"$DIR/reference.jsonl")" = 50000 ] || fail "reference rows: $(wc -l <"$DIR/reference.jsonl")"
ls "$DIR"/*.tmp 2>/dev/null && fail "temporary files left behind"
sleep 2
n1=$(wc -l <"$DIR/predictions.jsonl")
sleep 2
n2=$(wc -l <"$DIR/predictions.jsonl")
rate=$(((n2 - n1) / 2))
[ "$rate" -ge 80 ] && [ "$rate" -le 120 ] || fail "writes $rate lines/s, asked for 100"
now=$(date -u +%s)
last=$(tail -1 "$DIR/predictions.jsonl" | sed 's/.*"ts":"\([^"]*\)".*/\1/')
age=$((now - $(date -u -d "$last" +%s)))
[ "$age" -ge -1 ] && [ "$age" -le 2 ] || fail "the newest line is $age s old ($last)"
grep -q 'traffic only (no daemon)' "$WORK/sim.log" || fail "no notice of the mode"
! grep -q 'serving http' "$WORK/sim.log" || fail "a daemon was started"
if ss -ltnp 2>/dev/null | grep -q "pid=$sim,"; then fail "the simulator listens on a port"; fi
kill -TERM "$sim"
WAIT_SECONDS=1 wait_for sh -c "! kill -0 $sim 2>/dev/null" || fail "still running 1 s after SIGTERM"
wait "$sim" && rc=0 || rc=$?
[ "$rc" = 0 ] || fail "exit status $rc after SIGTERM"
n3=$(wc -l <"$DIR/predictions.jsonl")
sleep 0.5
[ "$(wc -l <"$DIR/predictions.jsonl")" = "$n3" ] || fail "lines written after the exit"
# The written configuration, on what was written (listening on a free loopback port).
"$MW" run --config "$DIR/modelwatch.yaml" --one-shot >"$WORK/out.prom" 2>"$WORK/run.err" ||
  { cat "$WORK/run.err"; fail "the written configuration does not run"; }
grep -q "^modelwatch_source_lines_total{model=\"fraud-detector\",source=\"predictions\"} $n3\$" "$WORK/out.prom" ||
  fail "one-shot did not read the $n3 lines written"
echo "PASS: demo --traffic-only wrote $n3 lines at $rate/s, no port, stopped on SIGTERM with 0"

# Files and state (reliability.md §State): a partial line across SIGKILL is counted once;
# corrupt, zero-length and truncated checkpoints are moved aside and counted; a checkpoint from
# a configuration with a feature removed keeps positions and the other feature's windows; a
# failing checkpoint directory keeps /metrics answering, counts errors and publishes live after
# three intervals; a second instance on the same state directory exits 1 naming it; a file
# deleted while open is read to its end and its descriptor closed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/state_lib.sh"
LOG="$WORK/logs/predictions.jsonl"

line() { printf '{"request_id":"r%s","inputs":{"x":%s.5,"c":"c%s"}}\n' "$1" "$(($1 % 7))" "$(($1 % 3))"; }
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null || true; }
wait_lines() {  # PORT N
  WAIT_SECONDS=20 wait_for sh -c "[ \"\$(curl -fsS http://127.0.0.1:$1/metrics | grep -E '^modelwatch_source_lines_total\\{' | awk '{print \$NF}')\" = $2 ]" ||
    fail "lines_total $(lines_total "$1") != $2"
}
checkpointed_after() {  # PORT T : a checkpoint newer than T exists
  local v
  v=$(metric "$1" 'modelwatch_checkpoint_last_success_timestamp_seconds')
  [ -n "$v" ] && awk -v v="$v" -v t="$2" 'BEGIN { exit !(v > t) }'
}

# --- a partial line across SIGKILL ---
state_config "$WORK/mw.yaml" 127.0.0.1:0 "$WORK/state"
for i in $(seq 1 10); do line "$i"; done >"$LOG"
half=$(line 11)
printf '%s' "${half:0:20}" >>"$LOG"
start_modelwatch "$WORK/mw.yaml" "$WORK/mw1.log"
wait_lines "$MW_PORT" 10
t=$(date +%s.%N)
WAIT_SECONDS=10 wait_for checkpointed_after "$MW_PORT" "$t" || fail "no checkpoint"
kill -9 "${PIDS[-1]}"
wait "${PIDS[-1]}" 2>/dev/null || true
printf '%s\n' "${half:20}" >>"$LOG"
start_modelwatch "$WORK/mw.yaml" "$WORK/mw2.log"
wait_lines "$MW_PORT" 11
sleep 1.5
[ "$(lines_total "$MW_PORT")" = 11 ] || fail "partial line counted twice"
[ "$(metric "$MW_PORT" 'modelwatch_source_lines_rejected_total\{[^}]*reason="invalid_json"')" = 0 ] ||
  fail "the completed line was rejected as a fragment"
echo "ok: a partial line across SIGKILL is counted once"

# --- a second instance on the same state directory ---
set +e
"$MW" run --config "$WORK/mw.yaml" >"$WORK/second.log" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || fail "second instance exited $rc"
grep -q "$WORK/state" "$WORK/second.log" || fail "second instance did not name the directory"
grep -q "locked by another modelwatch instance" "$WORK/second.log" || fail "no lock message"
echo "ok: second instance exits 1 naming the state directory"
stop "${PIDS[-1]}"

# --- delete while open: read to its end, then the descriptor is closed ---
for i in $(seq 12 5000); do line "$i"; done >>"$LOG"
start_modelwatch "$WORK/mw.yaml" "$WORK/mw3.log"
pid=${PIDS[-1]}
for i in $(seq 5001 60000); do line "$i"; done >>"$LOG"
rm "$LOG"
wait_lines "$MW_PORT" 60000
sleep 0.5
if ls -l "/proc/$pid/fd" 2>/dev/null | grep -q '(deleted)'; then fail "a deleted file is still open"; fi
echo "ok: a file deleted while open is read to its end and closed"
stop "$pid"

# --- corrupt, zero-length and truncated checkpoints ---
good="$WORK/state/checkpoint"
[ -s "$good" ] || fail "no checkpoint written"
cp "$good" "$WORK/good-checkpoint"
for kind in corrupt empty truncated; do
  case $kind in
    corrupt) head -c 4096 /dev/urandom >"$good" ;;
    empty) : >"$good" ;;
    truncated) head -c $(($(stat -c %s "$WORK/good-checkpoint") / 2)) "$WORK/good-checkpoint" >"$good" ;;
  esac
  start_modelwatch "$WORK/mw.yaml" "$WORK/mw-$kind.log"
  [ "$(metric "$MW_PORT" 'modelwatch_checkpoint_errors_total\{op="load"\}')" = 1 ] ||
    fail "$kind checkpoint: load error not counted"
  ls "$WORK/state" | grep -q '^checkpoint\.corrupt\.' || fail "$kind checkpoint not moved aside"
  curl -fsS "http://127.0.0.1:$MW_PORT/-/ready" >/dev/null || fail "$kind: not ready"
  stop "${PIDS[-1]}"
  rm -f "$WORK"/state/checkpoint.corrupt.*
  echo "ok: $kind checkpoint moved aside, counted, daemon serving"
done

# --- a checkpoint from a configuration with a feature removed ---
rm -rf "$WORK/state"
for i in $(seq 1 300); do line "$i"; done >"$LOG"
start_modelwatch "$WORK/mw.yaml" "$WORK/mw4.log"
wait_lines "$MW_PORT" 300
t=$(date +%s.%N)
WAIT_SECONDS=10 wait_for checkpointed_after "$MW_PORT" "$t" || fail "no checkpoint"
x_before=$(metric "$MW_PORT" 'modelwatch_feature_window_values\{[^}]*feature="x"[^}]*window="1h"')
stop "${PIDS[-1]}"
state_config "$WORK/mw-x.yaml" 127.0.0.1:0 "$WORK/state" " "
start_modelwatch "$WORK/mw-x.yaml" "$WORK/mw5.log"
sleep 1.5
[ "$(lines_total "$MW_PORT")" = 300 ] || fail "positions lost: lines $(lines_total "$MW_PORT")"
x_after=$(metric "$MW_PORT" 'modelwatch_feature_window_values\{[^}]*feature="x"[^}]*window="1h"')
[ -n "$x_before" ] && [ "$x_after" = "$x_before" ] || fail "feature x window: $x_before -> $x_after"
metrics_match "http://127.0.0.1:$MW_PORT/metrics" 'feature="c"' && fail "removed feature still exported"
echo "ok: a checkpoint with a feature removed keeps positions ($x_after values of x in 1h)"
stop "${PIDS[-1]}"

# --- a failing checkpoint directory ---
rm -rf "$WORK/state"
mkdir -p "$WORK/state/checkpoint.tmp"  # the temporary file cannot be created, even by root
start_modelwatch "$WORK/mw.yaml" "$WORK/mw6.log"
WAIT_SECONDS=15 wait_for sh -c "[ \"\$(curl -fsS http://127.0.0.1:$MW_PORT/metrics | grep -E '^modelwatch_checkpoint_publishing_live ' | awk '{print \$NF}')\" = 1 ]" ||
  fail "live publishing never started"
errors=$(metric "$MW_PORT" 'modelwatch_checkpoint_errors_total\{op="write"\}')
[ "${errors:-0}" -ge 3 ] || fail "write errors $errors"
for i in $(seq 301 350); do line "$i"; done >>"$LOG"
wait_lines "$MW_PORT" 350
echo "ok: failing directory: $errors write errors, /metrics answering, live publishing"
rmdir "$WORK/state/checkpoint.tmp"
WAIT_SECONDS=30 wait_for sh -c "[ \"\$(curl -fsS http://127.0.0.1:$MW_PORT/metrics | grep -E '^modelwatch_checkpoint_publishing_live ' | awk '{print \$NF}')\" = 0 ]" ||
  fail "committed publishing did not resume"
echo "ok: committed publishing resumes once checkpoints succeed"
echo "PASS: state"

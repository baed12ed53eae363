# Reload (reliability.md §State): through SIGHUP and through editing the file, a broken
# configuration keeps the old one (modelwatch_config_last_reload_successful 0) and a valid change
# (a new feature) applies without losing the other features' windows or the file positions.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/state_lib.sh"
LOG="$WORK/logs/predictions.jsonl"
line() { printf '{"request_id":"r%s","inputs":{"x":%s.5,"c":"c%s","z":%s}}\n' "$1" "$(($1 % 7))" "$(($1 % 3))" "$(($1 % 11))"; }
ok_gauge() { metric "$1" 'modelwatch_config_last_reload_successful'; }
x_values() { metric "$1" 'modelwatch_feature_window_values\{[^}]*feature="x"[^}]*window="1h"'; }

for via in sighup edit; do
  rm -rf "$WORK/logs" "$WORK/state"
  state_config "$WORK/mw.yaml" "127.0.0.1:0" "$WORK/state"
  for i in $(seq 1 200); do line "$i"; done >"$LOG"
  start_modelwatch "$WORK/mw.yaml" "$WORK/mw-$via.log"
  port=$MW_PORT
  pid=${PIDS[-1]}
  WAIT_SECONDS=20 wait_for sh -c "[ \"\$(curl -fsS http://127.0.0.1:$port/metrics | grep -E '^modelwatch_source_lines_total\\{' | awk '{print \$NF}')\" = 200 ]" ||
    fail "$via: lines never reached 200"
  sleep 1.5
  before=$(x_values "$port")
  [ "$before" = 200 ] || fail "$via: x has $before values in 1h"
  t0=$(metric "$port" 'modelwatch_config_last_reload_success_timestamp_seconds')

  # A broken file: rejected, the old configuration keeps running.
  cp "$WORK/mw.yaml" "$WORK/good.yaml"
  printf 'models: [ {name: broken\n' >"$WORK/mw.yaml"
  [ "$via" = sighup ] && kill -HUP "$pid"
  WAIT_SECONDS=10 wait_for sh -c "[ \"\$(curl -fsS http://127.0.0.1:$port/metrics | grep -E '^modelwatch_config_last_reload_successful ' | awk '{print \$NF}')\" = 0 ]" ||
    fail "$via: a broken configuration was not reported"
  for i in $(seq 201 250); do line "$i"; done >>"$LOG"
  WAIT_SECONDS=10 wait_for sh -c "[ \"\$(curl -fsS http://127.0.0.1:$port/metrics | grep -E '^modelwatch_source_lines_total\\{' | awk '{print \$NF}')\" = 250 ]" ||
    fail "$via: the old configuration stopped counting"
  grep -q "reload rejected" "$WORK/mw-$via.log" || fail "$via: no log line for the rejection"

  # A valid change: one more feature. x keeps its windows, positions are kept.
  state_config "$WORK/mw.yaml" "127.0.0.1:0" "$WORK/state" \
    "      - { name: c, path: /inputs/c, type: categorical }
      - { name: z, path: /inputs/z, type: numeric }"
  [ "$via" = sighup ] && kill -HUP "$pid"
  WAIT_SECONDS=10 wait_for sh -c "[ \"\$(curl -fsS http://127.0.0.1:$port/metrics | grep -E '^modelwatch_config_last_reload_successful ' | awk '{print \$NF}')\" = 1 ]" ||
    fail "$via: the valid configuration was not applied"
  for i in $(seq 251 300); do line "$i"; done >>"$LOG"
  WAIT_SECONDS=10 wait_for sh -c "curl -fsS http://127.0.0.1:$port/metrics | grep -qE '^modelwatch_feature_window_values\\{[^}]*feature=\"z\"[^}]*window=\"1h\"[^}]*\\} 50\$'" ||
    fail "$via: the new feature z does not count the new lines"
  sleep 1.2
  after=$(x_values "$port")
  [ "$after" = 300 ] || fail "$via: x has $after values in 1h after the reload (want 300: none lost, none twice)"
  [ "$(lines_total "$port")" = 300 ] || fail "$via: lines $(lines_total "$port") after reload"
  t1=$(metric "$port" 'modelwatch_config_last_reload_success_timestamp_seconds')
  awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b > a) }' || fail "$via: success timestamp did not move"
  if [ "$via" = sighup ]; then
    grep -q "reload: SIGHUP received" "$WORK/mw-$via.log" || fail "SIGHUP not handled"
  fi
  echo "ok: $via: broken file rejected; new feature applied; x kept $after values"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
echo "PASS: reload through SIGHUP and file edits"

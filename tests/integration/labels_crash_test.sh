# A SIGKILL between predictions and their labels loses no join (issue 6): the daemon reads 2,000
# predictions, checkpoints (every second), is killed, restarts from the checkpoint (positions,
# statistics and the pending joins), and then every label that arrives joins its prediction.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/state_lib.sh"
N=2000
port=$(free_port)
mkdir -p "$WORK/logs"
awk 'BEGIN { for (i = 0; i < 500; i++) printf "{\"x\":%d,\"predicted\":\"%s\",\"target\":\"%s\"}\n", i % 97, (i % 3 ? "a" : "b"), (i % 4 ? "a" : "b") }' \
  >"$WORK/reference.jsonl"
cat >"$WORK/mw.yaml" <<YAML
server: { listen_address: "127.0.0.1:$port" }
engine: { tick_interval: 1s }
state: { directory: "$WORK/state", checkpoint_interval: 1s }
defaults: { windows: [5m], time: arrival }
models:
  - name: m
    source: { paths: ["$WORK/logs/predictions.jsonl"], start_at: beginning }
    record: { request_id: /request_id }
    features: [ { name: x, path: /x, type: numeric } ]
    outputs: [ { name: predicted, path: /p, type: categorical } ]
    reference: { path: $WORK/reference.jsonl, format: rows, target: target }
    ground_truth:
      source: { paths: ["$WORK/logs/labels.jsonl"], start_at: beginning }
      record: { request_id: /request_id, label: /y }
      prediction: predicted
      positive_class: a
      windows: [1h]
      min_samples: 10
YAML
awk -v n=$N 'BEGIN { for (i = 0; i < n; i++) printf "{\"request_id\":\"q%d\",\"x\":%d,\"p\":\"%s\"}\n", i, i % 97, (i % 3 ? "a" : "b") }' \
  >"$WORK/logs/predictions.jsonl"
: >"$WORK/logs/labels.jsonl"
start_bg "$WORK/mw.1.log" "$MW" run --config "$WORK/mw.yaml"
first=${PIDS[-1]}
WAIT_SECONDS=30 wait_for sh -c "[ \"\$(curl -fsS http://127.0.0.1:$port/metrics | grep -c '^modelwatch_pending_predictions{model=\"m\"} $N\$')\" = 1 ]" ||
  { cat "$WORK/mw.1.log"; fail "the predictions never all waited"; }
sleep 2.5  # at least one checkpoint after every prediction was read
kill -9 "$first"
wait "$first" 2>/dev/null || true
awk -v n=$N 'BEGIN { for (i = n - 1; i >= 0; i--) printf "{\"request_id\":\"q%d\",\"y\":\"%s\"}\n", i, (i % 3 ? "a" : "b") }' \
  >>"$WORK/logs/labels.jsonl"
start_bg "$WORK/mw.2.log" "$MW" run --config "$WORK/mw.yaml"
all_labels_read() { [ "$(metric "$port" 'modelwatch_labels_total\{')" = "$N" ]; }
WAIT_SECONDS=30 wait_for all_labels_read ||
  { cat "$WORK/mw.2.log"; fail "labels never all read after the restart"; }
sleep 1.5
joined=$(metric "$port" 'modelwatch_labels_joined_total\{')
unknown=$(metric "$port" 'modelwatch_labels_unmatched_total\{model="m",reason="unknown_request"\}')
pending=$(metric "$port" 'modelwatch_pending_predictions\{')
lines=$(metric "$port" 'modelwatch_source_lines_total\{model="m",source="predictions"\}')
[ "$joined" = "$N" ] || fail "joined $joined of $N after the restart (pending $pending)"
[ "$pending" = 0 ] || fail "$pending predictions still pending"
[ "$lines" = "$N" ] || fail "predictions counted $lines, want $N (none re-read, none lost)"
acc=$(metric "$port" 'modelwatch_model_quality\{model="m",window="1h",metric="accuracy"\}')
[ "$acc" = 1 ] || fail "accuracy $acc, want 1"

# A second SIGKILL after the joins: the quality window comes back from the checkpoint with every
# joined row, not empty (the ground-truth block holds the quality buckets).
labeled_series='modelwatch_window_labeled_records\{model="m",window="1h"\}'
[ "$(metric "$port" "$labeled_series")" = "$N" ] || fail "window holds $(metric "$port" "$labeled_series") rows"
sleep 2.5  # a checkpoint after the joins
second=${PIDS[-1]}
kill -9 "$second"
wait "$second" 2>/dev/null || true
start_bg "$WORK/mw.3.log" "$MW" run --config "$WORK/mw.yaml"
WAIT_SECONDS=30 wait_for sh -c "curl -fsS http://127.0.0.1:$port/metrics >/dev/null" ||
  { cat "$WORK/mw.3.log"; fail "no /metrics after the second restart"; }
sleep 1.5
labeled=$(metric "$port" "$labeled_series")
acc=$(metric "$port" 'modelwatch_model_quality\{model="m",window="1h",metric="accuracy"\}')
[ "$labeled" = "$N" ] || { cat "$WORK/mw.3.log"; fail "after the restart the 1h window holds $labeled labelled rows, want $N"; }
[ "$acc" = 1 ] || fail "accuracy $acc after the restart, want 1"
echo "PASS: $joined of $N labels joined across a SIGKILL between predictions and labels; the quality window survived a second SIGKILL"

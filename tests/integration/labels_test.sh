# Ground truth end to end (issue 6), with --one-shot over a prediction log and a label log:
# out-of-order, delayed, duplicated, unknown and invalid labels counted exactly; quality from the
# joined rows; version changes for an interleaved canary and a later release; promtool clean.
source "$(dirname "$0")/lib.sh"

T0=1795824000
N=3000
# Predictions, 1/s. Versions: v1 and v2 interleaved line by line for 1500 s (longer than the
# longest window, 10m), then v3 alone. score = a fixed scramble of i; predicted fraud at >= 0.5.
awk -v n=$N -v t0=$T0 'BEGIN { for (i = 0; i < n; i++) {
    v = i < 1500 ? (i % 2 ? "v2" : "v1") : "v3"; s = ((i * 7919) % 1000) / 1000
    printf "{\"ts\":%d,\"request_id\":\"r%d\",\"model_version\":\"%s\",\"inputs\":{\"x\":%d},\"outputs\":{\"score\":%.3f,\"label\":\"%s\"}}\n",
           t0 + i, i, v, i % 100, s, (s >= 0.5 ? "fraud" : "legit") } }' >"$WORK/predictions.jsonl"
# Labels: every prediction but i % 10 == 0, delayed (i*37 % 120) s, so out of order against the
# predictions; the label disagrees with the prediction when i % 10 == 5; i % 50 == 1 twice; five
# labels for unknown requests early on; one line without a request id, one without a label, one
# not JSON. Written in label-time order.
awk -v n=$N -v t0=$T0 'BEGIN { for (i = 0; i < n; i++) {
    if (i % 10 == 0) continue
    s = ((i * 7919) % 1000) / 1000; p = s >= 0.5 ? "fraud" : "legit"
    y = (i % 10 == 5) ? (p == "fraud" ? "legit" : "fraud") : p
    t = t0 + i + (i * 37) % 120
    printf "%d {\"ts\":%d,\"request_id\":\"r%d\",\"label\":\"%s\"}\n", t, t, i, y
    if (i % 50 == 1) printf "%d {\"ts\":%d,\"request_id\":\"r%d\",\"label\":\"%s\"}\n", t, t, i, y }
  for (g = 0; g < 5; g++) printf "%d {\"ts\":%d,\"request_id\":\"ghost%d\",\"label\":\"fraud\"}\n", t0 + 100 + g, t0 + 100 + g, g
  printf "%d {\"ts\":%d,\"label\":\"fraud\"}\n", t0 + 200, t0 + 200
  printf "%d {\"ts\":%d,\"request_id\":\"nolabel\"}\n", t0 + 201, t0 + 201
  printf "%d {not json\n", t0 + 202 }' | sort -s -n -k1,1 | cut -d" " -f2- >"$WORK/labels.jsonl"
# Reference: 2000 rows with a calibrated score.
awk 'BEGIN { srand(7); for (i = 0; i < 2000; i++) { s = rand(); y = rand() < s ? "fraud" : "legit"
    printf "{\"x\":%d,\"score\":%.4f,\"predicted\":\"%s\",\"target\":\"%s\"}\n", i % 100, s, (s >= 0.5 ? "fraud" : "legit"), y } }' \
  >"$WORK/reference.jsonl"
cat >"$WORK/mw.yaml" <<YAML
defaults:
  windows: [5m, 10m]
models:
  - name: m
    source: { paths: ["$WORK/predictions.jsonl"] }
    record:
      timestamp: { path: /ts, format: unix_seconds }
      request_id: /request_id
      model_version: /model_version
    features:
      - { name: x, path: /inputs/x, type: numeric }
    outputs:
      - { name: score, path: /outputs/score, type: numeric }
      - { name: predicted, path: /outputs/label, type: categorical }
    reference: { path: $WORK/reference.jsonl, format: rows, target: target }
    ground_truth:
      source: { paths: ["$WORK/labels.jsonl"] }
      record: { request_id: /request_id, label: /label, timestamp: /ts }
      task: binary_classification
      prediction: predicted
      score: score
      positive_class: fraud
      join_ttl: 5m
      windows: [1h]
      min_samples: 100
YAML
"$MW" check-config --config "$WORK/mw.yaml" || fail "check-config"
"$MW" run --config "$WORK/mw.yaml" --one-shot >"$WORK/out.prom" 2>"$WORK/err.log" ||
  { cat "$WORK/err.log"; fail "one-shot failed"; }
prom="$WORK/out.prom"
val() { awk -v k="$1" 'index($0, k " ") == 1 { print $NF }' "$prom"; }
want() {  # SERIES VALUE
  local got
  got=$(val "$1")
  [ "$got" = "$2" ] || fail "$1 = '$got', want $2"
}
# The last label's time; unlabelled predictions (i % 10 == 0) older than it by more than the
# TTL left as `ttl`, the rest still wait.
max_label=$(sed -n 's/.*"ts":\([0-9]*\).*/\1/p' "$WORK/labels.jsonl" | sort -n | tail -1)
expired=$(awk -v n=$N -v t0=$T0 -v m="$max_label" 'BEGIN { c = 0
  for (i = 0; i < n; i += 10) if (t0 + i + 300 < m) c++; print c }')
want 'modelwatch_labels_total{model="m"}' 2766
want 'modelwatch_labels_joined_total{model="m"}' 2700
want 'modelwatch_labels_unmatched_total{model="m",reason="duplicate"}' 60
want 'modelwatch_labels_unmatched_total{model="m",reason="unknown_request"}' 5
want 'modelwatch_labels_unmatched_total{model="m",reason="invalid_label"}' 1
want 'modelwatch_labels_unmatched_total{model="m",reason="evicted"}' 0
want 'modelwatch_predictions_unlabeled_total{model="m",reason="ttl"}' "$expired"
want 'modelwatch_pending_predictions{model="m"}' $((300 - expired))
want 'modelwatch_pending_labels{model="m"}' 0
want 'modelwatch_source_lines_total{model="m",source="labels"}' 2768
want 'modelwatch_source_lines_rejected_total{model="m",source="labels",reason="missing_request_id"}' 1
want 'modelwatch_source_lines_rejected_total{model="m",source="labels",reason="invalid_json"}' 1
want 'modelwatch_window_labeled_records{model="m",window="1h"}' 2700
want 'modelwatch_label_delay_seconds_count{model="m"}' 2700
# 300 of the 2700 joined labels disagree with the prediction.
acc=$(val 'modelwatch_model_quality{model="m",window="1h",metric="accuracy"}')
awk -v a="$acc" 'BEGIN { exit !(a - 2400/2700 < 1e-12 && 2400/2700 - a < 1e-12) }' ||
  fail "accuracy $acc, want 2400/2700"
for metric in precision recall f1 roc_auc log_loss brier; do
  [ -n "$(val "modelwatch_model_quality{model=\"m\",window=\"1h\",metric=\"$metric\"}")" ] ||
    fail "no $metric"
  [ -n "$(val "modelwatch_model_quality_reference{model=\"m\",metric=\"$metric\"}")" ] ||
    fail "no reference $metric"
done
[ -n "$(val 'modelwatch_model_quality_estimated{model="m",window="1h",metric="accuracy"}')" ] ||
  fail "no CBPE estimate"
grep -q '^modelwatch_label_drift_score{model="m",window="1h",method=' "$prom" || fail "no label drift"
# Versions: v2 appearing beside v1 is one change however often they alternate; v3 is one more.
want 'modelwatch_model_version_changes_total{model="m"}' 2
want 'modelwatch_model_info{model="m",model_version="v3"}' 1
[ -z "$(val 'modelwatch_model_info{model="m",model_version="v1"}')" ] || fail "v1 still live"
want 'modelwatch_predictions_total{model="m",model_version="v2"}' 750
# check --labels: the same rows joined without a time limit give the same accuracy.
"$MW" check --config "$WORK/mw.yaml" --current "$WORK/predictions.jsonl" \
  --labels "$WORK/labels.jsonl" --format json --fail-on none >"$WORK/check.json" 2>"$WORK/check.err" ||
  { cat "$WORK/check.err"; fail "check --labels"; }
check_acc=$(sed -n 's/.*"model_quality":{"accuracy":\([^,}]*\).*/\1/p' "$WORK/check.json")
awk -v a="$check_acc" 'BEGIN { exit !(a - 2400/2700 < 1e-12 && 2400/2700 - a < 1e-12) }' ||
  fail "check --labels accuracy '$check_acc': $(cat "$WORK/check.json")"
if command -v promtool >/dev/null; then
  promtool check metrics <"$prom" || fail "promtool check metrics"
fi
echo "PASS: labels joined 2700, duplicates 60, unknown 5, ttl $expired, accuracy $acc, 2 version changes"

# Ground truth from log shapes (issue #8): labels in the prediction line
# (ground_truth.source: predictions) and a SageMaker ground-truth file read through
# ground_truth.record.decode and .batch give the same model quality, label counters and delay
# histogram (within 1e-9) as the same predictions as a flat log joined by id to a flat label log.
#  1. BentoML monitor lines with the `target` in the line (examples/bentoml), some unlabelled;
#  2. SageMaker capture + Model Monitor's ground-truth file (examples/sagemaker), CSV and BASE64
#     labels, a multi-row request's labels one CSV row each;
#  3. a batch line (record.batch) with a `type: probabilities` output and an array of targets.
source "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$HERE/../.."
SHAPES="$HERE/shapes"

value() { # value FILE SERIES
  awk -v s="$2" '$1 == s {print $2}' "$1"
}
expect() { # expect FILE SERIES VALUE
  local got
  got=$(value "$1" "$2")
  [ "$got" = "$3" ] || fail "$(basename "$1"): $2 = '$got', expected $3"
}
one_shot() { # one_shot CONFIG OUT
  "$MW" check-config --config "$1" >/dev/null || fail "check-config $1"
  "$MW" run --config "$1" --one-shot >"$2" || fail "run --one-shot $1"
}

# 1. BentoML: 42 lines, 3 with "target": null and 3 without the key.
b="$WORK/bentoml.prom"
one_shot "$ROOT/examples/bentoml/modelwatch.yaml" "$b"
one_shot "$SHAPES/bentoml/flat-labels.yaml" "$WORK/bentoml.flat.prom"
/usr/bin/python3 "$SHAPES/compare.py" --quality "$b" "$WORK/bentoml.flat.prom" ||
  fail "bentoml: in-line labels differ from the flat label log"
m='model="iris-classifier"'
expect "$b" "modelwatch_labels_total{$m}" 36
expect "$b" "modelwatch_labels_joined_total{$m}" 36
expect "$b" "modelwatch_window_labeled_records{$m,window=\"1h\"}" 36
expect "$b" "modelwatch_predictions_unlabeled_total{$m,reason=\"missing\"}" 6
expect "$b" "modelwatch_pending_predictions{$m}" 0
expect "$b" "modelwatch_label_delay_seconds_bucket{$m,le=\"1\"}" 36
expect "$b" "modelwatch_label_delay_seconds_sum{$m}" 0
# No label log: its source counts nothing.
expect "$b" "modelwatch_source_lines_total{$m,source=\"labels\"}" 0
# Quality by hand: 7 of the 36 labelled rows (every 7th request) have another class.
acc=$(value "$b" "modelwatch_model_quality{$m,window=\"1h\",metric=\"accuracy\"}")
/usr/bin/python3 -c "import sys; sys.exit(abs($acc - 29/36) > 1e-12)" || fail "bentoml: accuracy $acc, expected 29/36"

# 2. SageMaker: 45 capture lines (57 predictions), 45 ground-truth lines (57 labels).
s="$WORK/sagemaker.prom"
one_shot "$ROOT/examples/sagemaker/modelwatch.yaml" "$s"
one_shot "$SHAPES/sagemaker/flat.yaml" "$WORK/sagemaker.flat.prom"
/usr/bin/python3 "$SHAPES/compare.py" --quality "$s" "$WORK/sagemaker.flat.prom" ||
  fail "sagemaker: the ground-truth file differs from the flat label log"
m='model="churn"'
expect "$s" "modelwatch_source_lines_total{$m,source=\"labels\"}" 45
expect "$s" "modelwatch_labels_total{$m}" 57
expect "$s" "modelwatch_labels_joined_total{$m}" 57
expect "$s" "modelwatch_window_labeled_records{$m,window=\"1h\"}" 57
grep -q "^modelwatch_model_quality{$m,window=\"1h\",metric=\"roc_auc\"} " "$s" ||
  fail "sagemaker: no roc_auc from the score"

# 3. record.batch rows, labels from an array ("/targets/{index}"), the predicted class the argmax
#    of a type: probabilities output; its flat equivalent: one line per row, the argmax as a
#    categorical output, the labels in their own log.
cd "$WORK"
/usr/bin/python3 - <<'PY'
import json, random
rng = random.Random(7)
classes = ["a", "b", "c"]
with open("ref.jsonl", "w") as f:
    for _ in range(200):
        f.write(json.dumps({"x1": round(rng.gauss(0, 1), 3), "x2": round(rng.gauss(5, 2), 3)}) + "\n")
shaped, flat, labels = open("batch.jsonl", "w"), open("flat.jsonl", "w"), open("labels.jsonl", "w")
for i in range(60):
    ts = f"2026-11-28T12:{i // 60:02d}:{i % 60:02d}Z"
    n = 1 + i % 3
    rows = [[round(rng.gauss(0, 1), 3), round(rng.gauss(5, 2), 3)] for _ in range(n)]
    probas = [[round(rng.random(), 3) for _ in classes] for _ in range(n)]
    targets = [None if (i + j) % 11 == 5 else rng.choice(classes) for j in range(n)]
    line = {"ts": ts, "id": f"r{i}", "instances": rows, "probas": probas, "targets": targets}
    if i % 13 == 7:
        del line["targets"]  # a batch logged before its labels were known
    shaped.write(json.dumps(line) + "\n")
    for j, (x, p) in enumerate(zip(rows, probas)):
        rid = f"r{i}" if n == 1 else f"r{i}-item-{j}"
        pred = classes[max(range(3), key=lambda k: (p[k], -k))]  # the first of equal ones
        flat.write(json.dumps({"ts": ts, "id": rid, "x1": x[0], "x2": x[1], "pred": pred}) + "\n")
        if "targets" in line and targets[j] is not None:
            labels.write(json.dumps({"ts": ts, "id": rid, "label": targets[j]}) + "\n")
PY
cat >batch.yaml <<'EOF'
defaults: { windows: [1h] }
models:
  - name: batch
    source: { paths: [batch.jsonl], start_at: beginning }
    record:
      timestamp: { path: /ts, format: rfc3339 }
      request_id: /id
      batch: { path: /instances }
    features: [{ name: x1, path: 0/0 }, { name: x2, path: 0/1 }]
    outputs:
      - { name: proba, path: "/probas/{index}", type: probabilities, classes: [a, b, c] }
    reference: { path: ref.jsonl }
    ground_truth:
      source: predictions
      record: { label: "/targets/{index}" }
      task: multiclass_classification
      prediction: proba
      windows: [1h]
      min_samples: 20
EOF
cat >flat.yaml <<'EOF'
defaults: { windows: [1h] }
models:
  - name: batch
    source: { paths: [flat.jsonl], start_at: beginning }
    record: { timestamp: { path: /ts, format: rfc3339 }, request_id: /id }
    features: [{ name: x1, path: /x1 }, { name: x2, path: /x2 }]
    outputs: [{ name: pred, path: /pred, type: categorical }]
    reference: { path: ref.jsonl }
    ground_truth:
      source: { paths: [labels.jsonl], start_at: beginning }
      record: { request_id: /id, label: /label, timestamp: /ts }
      task: multiclass_classification
      prediction: pred
      windows: [1h]
      min_samples: 20
EOF
one_shot batch.yaml batch.prom
one_shot flat.yaml batch.flat.prom
/usr/bin/python3 "$SHAPES/compare.py" --quality batch.prom batch.flat.prom ||
  fail "batch: in-line labels of batch rows differ from the flat label log"
labels=$(wc -l <labels.jsonl)
expect batch.prom 'modelwatch_labels_joined_total{model="batch"}' "$labels"
records=$(wc -l <flat.jsonl)
missing=$(value batch.prom 'modelwatch_predictions_unlabeled_total{model="batch",reason="missing"}')
[ "$((labels + missing))" = "$records" ] ||
  fail "batch: $labels labelled + $missing unlabelled != $records predictions"
[ "$missing" -gt 0 ] || fail "batch: the sample should have unlabelled rows"

# 4. The daemon: the BentoML sample read live, then one more labelled line appended.
mkdir -p "$WORK/daemon"
cp "$ROOT"/examples/bentoml/{modelwatch.yaml,data.0.log,reference.jsonl} "$WORK/daemon/"
start_modelwatch "$WORK/daemon/modelwatch.yaml" "$WORK/daemon.log" --web.listen-address 127.0.0.1:0
joined() {
  curl -fsS "http://127.0.0.1:$MW_PORT/metrics" |
    awk '$1 == "modelwatch_labels_joined_total{model=\"iris-classifier\"}" {print $2}'
}
joined_is() { test "$(joined)" = "$1"; }
WAIT_SECONDS=45 wait_for joined_is 36 || fail "daemon: $(joined) labels joined, expected 36"
tail -1 "$WORK/daemon/data.0.log" | sed 's/"target":"[a-z]*"/"target":"setosa"/' >>"$WORK/daemon/data.0.log"
WAIT_SECONDS=45 wait_for joined_is 37 || fail "daemon: $(joined) labels joined, expected 37"

if command -v promtool >/dev/null; then
  for f in "$b" "$s" batch.prom; do
    promtool check metrics <"$f" >/dev/null 2>&1 || {
      promtool check metrics <"$f"
      fail "$f: promtool check metrics"
    }
  done
fi
echo "PASS: in-line labels and the SageMaker ground-truth file give the quality of a flat join"

# Log shapes (issue #8): each sample of examples/<shape>/ (KServe, Seldon, SageMaker, BentoML, a
# Python service, the same lines wrapped by CRI) gives the same statistics as the flat log of the
# same predictions (tests/integration/shapes/<shape>/), and the shape-specific counters say what
# happened to the lines that did not become records one to one.
source "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$HERE/../.."
DOC="$ROOT/docs/metrics.md"

for shape in kserve seldon sagemaker bentoml python-service cri; do
  "$MW" check-config --config "$ROOT/examples/$shape/modelwatch.yaml" >/dev/null ||
    fail "$shape: check-config"
  "$MW" run --config "$ROOT/examples/$shape/modelwatch.yaml" --one-shot >"$WORK/$shape.prom" ||
    fail "$shape: one-shot of the example"
  "$MW" run --config "$HERE/shapes/$shape/flat.yaml" --one-shot >"$WORK/$shape.flat.prom" ||
    fail "$shape: one-shot of the flat equivalent"
  python3 "$HERE/shapes/compare.py" "$WORK/$shape.prom" "$WORK/$shape.flat.prom" ||
    fail "$shape: statistics differ from the flat log"
done

value() {  # value FILE SERIES
  awk -v s="$2" '$1 == s {print $2}' "$1"
}
expect() {  # expect FILE SERIES VALUE
  local got
  got=$(value "$1" "$2")
  [ "$got" = "$3" ] || fail "$(basename "$1"): $2 = '$got', expected $3"
}

# KServe: one file, two InferenceServices, both event types: every line is seen by both models,
# the other service's lines are filtered, the request whose response never came is unpaired.
k="$WORK/kserve.prom"
expect "$k" 'modelwatch_source_lines_total{model="sklearn-iris",source="predictions"}' 81
expect "$k" 'modelwatch_source_lines_filtered_total{model="sklearn-iris",source="predictions"}' 40
expect "$k" 'modelwatch_source_lines_filtered_total{model="iris-v2",source="predictions"}' 41
expect "$k" 'modelwatch_unpaired_total{model="sklearn-iris",kind="request"}' 1
expect "$k" 'modelwatch_unpaired_total{model="iris-v2",kind="request"}' 0
expect "$k" 'modelwatch_source_files{model="iris-v2",source="predictions"}' 1
# Seldon: feedback events are another event type.
expect "$WORK/seldon.prom" 'modelwatch_source_lines_filtered_total{model="iris",source="predictions"}' 4
# SageMaker: 45 capture lines, multi-row CSV bodies give 57 records.
expect "$WORK/sagemaker.prom" 'modelwatch_source_lines_total{model="churn",source="predictions"}' 45
expect "$WORK/sagemaker.prom" 'modelwatch_predictions_total{model="churn",model_version="unknown"}' 57
# Python service: NaN and Infinity literals are kept as nan, not invalid_json.
p="$WORK/python-service.prom"
expect "$p" 'modelwatch_source_lines_rejected_total{model="fraud",source="predictions",reason="invalid_json"}' 0
expect "$p" 'modelwatch_feature_invalid_total{model="fraud",feature="amount",reason="nan"}' 9
expect "$p" 'modelwatch_output_invalid_total{model="fraud",output="score",reason="nan"}' 4
# CRI: 52 physical lines, 50 payloads (one of them joined from three parts).
expect "$WORK/cri.prom" 'modelwatch_source_lines_total{model="fraud",source="predictions"}' 52
expect "$WORK/cri.prom" 'modelwatch_predictions_total{model="fraud",model_version="unknown"}' 50

# Without the keys the same Python lines are lost: the feature is really needed.
sed '/parse:/d' "$ROOT/examples/python-service/modelwatch.yaml" >"$WORK/strict.yaml"
sed -i "s#paths: \[service.log\]#paths: [$ROOT/examples/python-service/service.log]#; s#path: reference.jsonl#path: $ROOT/examples/python-service/reference.jsonl#" "$WORK/strict.yaml"
"$MW" run --config "$WORK/strict.yaml" --one-shot >"$WORK/strict.prom"
rejected=$(value "$WORK/strict.prom" 'modelwatch_source_lines_rejected_total{model="fraud",source="predictions",reason="invalid_json"}')
[ "$rejected" -gt 0 ] || fail "strict parsing should reject the NaN lines"

# The shape families are documented (metrics_doc_test.sh leaves them to this test).
for family in modelwatch_source_lines_filtered_total modelwatch_unpaired_total; do
  grep -q "^# TYPE $family counter" "$k" || fail "$family not exposed"
  grep -q "^| \`$family\` |" "$DOC" || fail "$family not in docs/metrics.md"
done
if command -v promtool >/dev/null; then
  for shape in kserve seldon sagemaker bentoml python-service cri; do
    promtool check metrics <"$WORK/$shape.prom" >/dev/null 2>&1 || {
      promtool check metrics <"$WORK/$shape.prom"
      fail "$shape: promtool check metrics"
    }
  done
fi
echo "PASS: six log shapes give the statistics of their flat logs"

# docs/metrics.md lists exactly the metric families a running daemon exposes.
source "$(dirname "$0")/lib.sh"
DOC="$(dirname "$0")/../../docs/metrics.md"

"$GEN" --end-now --lines 500 --out "$WORK/predictions.jsonl" --reference "$WORK/reference.jsonl" \
  --reference-rows 3000 >/dev/null
write_config "$WORK/mw.yaml" "127.0.0.1:0" "state: { directory: $WORK/state }"
# With ground truth, so the label and model-quality families are exposed too: a label per line.
cat >>"$WORK/mw.yaml" <<YAML
    ground_truth:
      source: { paths: ["$WORK/labels.jsonl"], start_at: beginning }
      record: { request_id: /request_id, label: /label }
      prediction: predicted
      score: score
      positive_class: fraud
      min_samples: 10
YAML
sed -n 's/^{"ts":"[^"]*","request_id":"\([^"]*\)".*"label":"\([^"]*\)".*/{"request_id":"\1","label":"\2"}/p' \
  "$WORK/predictions.jsonl" >"$WORK/labels.jsonl"
[ "$(wc -l <"$WORK/labels.jsonl")" -eq 500 ] || fail "labels not derived from the predictions"
start_modelwatch "$WORK/mw.yaml" "$WORK/mw.log"
port=$MW_PORT
# Ticks are 1 s: wait for a snapshot that has seen the whole file.
WAIT_SECONDS=20 wait_for sh -c "curl -fsS http://127.0.0.1:$port/metrics | grep -q '^modelwatch_source_lines_total{.*} 500$'" ||
  fail "lines never reached 500"
curl -fsS "http://127.0.0.1:$port/metrics" | sed -n 's/^# TYPE \([a-zA-Z_:][a-zA-Z0-9_:]*\) .*/\1/p' | sort -u >"$WORK/exposed"
sed -n 's/^| `\([a-z_]*\)` | .*/\1/p' "$DOC" | sort -u >"$WORK/documented"
undocumented=$(comm -23 "$WORK/exposed" "$WORK/documented")
missing=$(comm -13 "$WORK/exposed" "$WORK/documented")
[ -z "$undocumented" ] || fail "exposed but not in docs/metrics.md: $undocumented"
[ -z "$missing" ] || fail "in docs/metrics.md but not exposed: $missing"
echo "PASS: $(wc -l <"$WORK/exposed") families, all documented"

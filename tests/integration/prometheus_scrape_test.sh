# A real Prometheus scrapes the real daemon; its HTTP API must agree with what was written.
source "$(dirname "$0")/lib.sh"

"$GEN" --end-now --lines 3000 --out "$WORK/predictions.jsonl" --reference "$WORK/reference.jsonl" \
  --reference-rows 5000 >/dev/null
printf '{"broken\n[1,2]\n' >>"$WORK/predictions.jsonl"  # two rejected lines
written=$(grep -c . "$WORK/predictions.jsonl")

write_config "$WORK/mw.yaml" "127.0.0.1:0" ""
start_modelwatch "$WORK/mw.yaml" "$WORK/mw.log"
start_prometheus <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: modelwatch
    static_configs: [{ targets: ["127.0.0.1:$MW_PORT"] }]
YAML

WAIT_SECONDS=60 wait_for prom_has_value 'sum(modelwatch_source_lines_total)' "$written" || {
  prom_query 'modelwatch_source_lines_total' || true
  tail -5 "$WORK/prom.log"
  fail "modelwatch_source_lines_total never reached $written"
}
prom_has_value 'sum(modelwatch_source_lines_rejected_total)' 2 || fail "rejected lines not 2"
prom_has_value 'sum(modelwatch_predictions_total) + sum(modelwatch_source_lines_rejected_total)' \
  "$written" || fail "line-count identity broken"
prom_has_value 'count(modelwatch_feature_drift_score{window="24h"})' 4 ||
  { prom_query 'modelwatch_feature_drift_score'; fail "expected 4 feature drift scores"; }
prom_has_value 'count(modelwatch_output_drift_detected{window="5m"})' 2 || fail "output drift missing"
prom_has_value 'up{job="modelwatch"}' 1 || fail "target not up"
echo "PASS: Prometheus saw $written lines and the drift series"

# A real Prometheus scrapes the real daemon; its HTTP API must agree with what was written.
source "$(dirname "$0")/lib.sh"

command -v prometheus >/dev/null || fail "prometheus not installed (make deps)"
"$GEN" --lines 3000 --out "$WORK/predictions.jsonl" --reference "$WORK/reference.jsonl" \
  --reference-rows 5000 >/dev/null
printf '{"broken\n[1,2]\n' >>"$WORK/predictions.jsonl"  # two rejected lines
written=$(grep -c . "$WORK/predictions.jsonl")

write_config "$WORK/mw.yaml" "127.0.0.1:0" ""
"$MW" run --config "$WORK/mw.yaml" >"$WORK/mw.log" 2>&1 &
PIDS+=($!)
WAIT_SECONDS=20 wait_for grep -q 'ready' "$WORK/mw.log" || { cat "$WORK/mw.log"; fail "modelwatch not ready"; }
mw_port=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$WORK/mw.log" | head -1)
[ -n "$mw_port" ] || fail "no port in log"

prom_port=$(free_port)
cat >"$WORK/prometheus.yml" <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: modelwatch
    static_configs: [{ targets: ["127.0.0.1:$mw_port"] }]
YAML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$WORK/prom.log" 2>&1 &
PIDS+=($!)

query() {
  curl -fsS "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1"
}
has_value() {  # QUERY VALUE
  query "$1" 2>/dev/null | grep -q "\"$2\"\]"
}
WAIT_SECONDS=60 wait_for has_value 'sum(modelwatch_source_lines_total)' "$written" || {
  query 'modelwatch_source_lines_total' || true
  tail -5 "$WORK/prom.log"
  fail "modelwatch_source_lines_total never reached $written"
}
has_value 'sum(modelwatch_source_lines_rejected_total)' 2 || fail "rejected lines not 2"
has_value 'sum(modelwatch_predictions_total) + sum(modelwatch_source_lines_rejected_total)' \
  "$written" || fail "line-count identity broken"
has_value 'count(modelwatch_feature_drift_score{window="24h"})' 4 ||
  { query 'modelwatch_feature_drift_score'; fail "expected 4 feature drift scores"; }
has_value 'count(modelwatch_output_drift_detected{window="5m"})' 2 || fail "output drift missing"
has_value 'up{job="modelwatch"}' 1 || fail "target not up"
echo "PASS: Prometheus saw $written lines and the drift series"

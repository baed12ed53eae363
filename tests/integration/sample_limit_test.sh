# limits.max_series holds the whole exposition: a real Prometheus whose sample_limit equals
# max_series (so "just above" it holds a fortiori) keeps the target up while the daemon holds
# back the series past the limit and counts them in modelwatch_series_dropped_total.
source "$(dirname "$0")/lib.sh"

command -v prometheus >/dev/null || fail "prometheus not installed (make deps)"
MAX_SERIES=300
"$GEN" --lines 3000 --out "$WORK/predictions.jsonl" --reference "$WORK/reference.jsonl" \
  --reference-rows 5000 >/dev/null

features=""
for f in amount age account_age_days num_transactions_24h distance_from_home_km hour_of_day \
  velocity_1h credit_limit; do
  features+="      - { name: $f, path: /inputs/$f, type: numeric }"$'\n'
done
for f in country merchant_category device_type payment_method; do
  features+="      - { name: $f, path: /inputs/$f, type: categorical }"$'\n'
done
# 12 features, 2 outputs, 3 windows: about 900 series without the limit.
cat >"$WORK/mw.yaml" <<YAML
server: { listen_address: "127.0.0.1:0" }
engine: { tick_interval: 1s }
limits: { max_series: $MAX_SERIES }
defaults:
  windows: [5m, 1h, 24h]
models:
  - name: fraud-detector
    source: { paths: ["$WORK/predictions.jsonl"], start_at: beginning }
    record: { timestamp: { path: /ts, format: rfc3339 }, request_id: /request_id }
    features:
$features    outputs:
      - { name: score, path: /outputs/score, type: numeric }
      - { name: predicted, path: /outputs/label, type: categorical }
    reference: { path: $WORK/reference.jsonl, format: rows, target: target }
YAML
"$MW" run --config "$WORK/mw.yaml" >"$WORK/mw.log" 2>&1 &
PIDS+=($!)
WAIT_SECONDS=20 wait_for grep -qs 'ready' "$WORK/mw.log" || { cat "$WORK/mw.log"; fail "modelwatch not ready"; }
mw_port=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$WORK/mw.log" | head -1)
[ -n "$mw_port" ] || fail "no port in log"

# The exposition itself: exactly max_series samples, self-health included.
samples=$(curl -fsS "http://127.0.0.1:$mw_port/metrics" | grep -cv '^#')
[ "$samples" = "$MAX_SERIES" ] || fail "exposition has $samples samples, limits.max_series is $MAX_SERIES"
curl -fsS "http://127.0.0.1:$mw_port/metrics" | grep -q '^process_resident_memory_bytes ' ||
  fail "self-health series were held back"

prom_port=$(free_port)
cat >"$WORK/prometheus.yml" <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: modelwatch
    sample_limit: $MAX_SERIES
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
WAIT_SECONDS=60 wait_for has_value 'modelwatch_series_dropped_total > bool 0' 1 || {
  query 'modelwatch_series_dropped_total' || true
  query 'up' || true
  tail -5 "$WORK/prom.log"
  fail "Prometheus never stored modelwatch_series_dropped_total > 0"
}
# Several scrapes in a row, all within the limit.
sleep 3
has_value 'min_over_time(up{job="modelwatch"}[3s])' 1 || { query 'up'; fail "target not up"; }
has_value 'max_over_time(scrape_samples_scraped{job="modelwatch"}[3s])' "$MAX_SERIES" ||
  { query 'scrape_samples_scraped'; fail "scrape_samples_scraped is not $MAX_SERIES"; }
dropped=$(query 'modelwatch_series_dropped_total' | sed -n 's/.*"\([0-9.e+]*\)"\]}.*/\1/p')
echo "PASS: sample_limit $MAX_SERIES = limits.max_series: up == 1, $MAX_SERIES samples per scrape, series_dropped_total $dropped"

# limits.max_series holds the whole exposition: a real Prometheus whose sample_limit equals
# max_series (so "just above" it holds a fortiori) keeps the target up while the daemon holds
# back the series past the limit and counts them in modelwatch_series_dropped_total.
source "$(dirname "$0")/lib.sh"

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
start_modelwatch "$WORK/mw.yaml" "$WORK/mw.log"
mw_port=$MW_PORT

# The exposition itself: exactly max_series samples, self-health included.
samples=$(curl -fsS "http://127.0.0.1:$mw_port/metrics" | grep -cv '^#')
[ "$samples" = "$MAX_SERIES" ] || fail "exposition has $samples samples, limits.max_series is $MAX_SERIES"
metrics_match "http://127.0.0.1:$mw_port/metrics" '^process_resident_memory_bytes ' ||
  fail "self-health series were held back"

start_prometheus <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: modelwatch
    sample_limit: $MAX_SERIES
    static_configs: [{ targets: ["127.0.0.1:$mw_port"] }]
YAML
WAIT_SECONDS=60 wait_for prom_has_value 'modelwatch_series_dropped_total > bool 0' 1 || {
  prom_query 'modelwatch_series_dropped_total' || true
  prom_query 'up' || true
  tail -5 "$WORK/prom.log"
  fail "Prometheus never stored modelwatch_series_dropped_total > 0"
}
# Several scrapes in a row, all within the limit.
sleep 3
prom_has_value 'min_over_time(up{job="modelwatch"}[3s])' 1 || { prom_query 'up'; fail "target not up"; }
prom_has_value 'max_over_time(scrape_samples_scraped{job="modelwatch"}[3s])' "$MAX_SERIES" ||
  { prom_query 'scrape_samples_scraped'; fail "scrape_samples_scraped is not $MAX_SERIES"; }
dropped=$(prom_query 'modelwatch_series_dropped_total' | sed -n 's/.*"\([0-9.e+]*\)"\]}.*/\1/p')
echo "PASS: sample_limit $MAX_SERIES = limits.max_series: up == 1, $MAX_SERIES samples per scrape, series_dropped_total $dropped"

# Latency under persistence: /metrics publishes what the last checkpoint committed, so the
# latency histogram and percentiles must be in the checkpoint; after SIGKILL and a restart they
# come back as they were (the log is not read twice).
source "$(dirname "$0")/lib.sh"

"$GEN" --end-now --lines 600 --out "$WORK/predictions.jsonl" --reference "$WORK/reference.jsonl" \
  --reference-rows 1000 >/dev/null
write_config "$WORK/mw.yaml" "127.0.0.1:0" "state: { directory: $WORK/state, checkpoint_interval: 1s }"
count='modelwatch_prediction_latency_seconds_count{model="fraud-detector",model_version="3.2.0"}'
p99='modelwatch_prediction_latency_percentile_seconds{model="fraud-detector",window="24h",percentile="99"}'

start_modelwatch "$WORK/mw.yaml" "$WORK/mw.log"
url=http://127.0.0.1:$MW_PORT/metrics
WAIT_SECONDS=20 wait_for sh -c "curl -fsS $url | grep -q '^$count 600$'" ||
  fail "the committed histogram never reached 600: $(curl -fsS "$url" | grep latency_seconds_count)"
before=$(curl -fsS "$url" | grep "^$p99 " | cut -d' ' -f2)
[ -n "$before" ] || fail "no 24h p99"
kill -9 "${PIDS[-1]}"
wait "${PIDS[-1]}" 2>/dev/null || true

start_modelwatch "$WORK/mw.yaml" "$WORK/mw2.log"
url=http://127.0.0.1:$MW_PORT/metrics
WAIT_SECONDS=20 wait_for sh -c "curl -fsS $url | grep -q '^$count 600$'" ||
  fail "after a restart the histogram is $(curl -fsS "$url" | grep latency_seconds_count)"
after=$(curl -fsS "$url" | grep "^$p99 " | cut -d' ' -f2)
[ "$after" = "$before" ] || fail "24h p99 changed across the restart: $before -> $after"
echo "PASS: latency histogram (600) and p99 ($after s) committed and restored after SIGKILL"

# `modelwatch demo --scenario latency`: once the spikes begin (20 s after start), the 1m p99
# climbs past the 250 ms objective while the median stays near 11 ms; the histogram's slow
# buckets fill.
source "$(dirname "$0")/lib.sh"

start_demo latency "$WORK/demo.log" "$WORK/demo"
port=$DEMO_PORT
grep -q 'latency:   from .* spikes with a heavy tail' "$WORK/demo.log" ||
  { cat "$WORK/demo.log"; fail "the demo does not say what it injects"; }

metrics() { curl -fsS "http://127.0.0.1:$port/metrics"; }
pct() {  # window percentile
  metrics | sed -n "s/^modelwatch_prediction_latency_percentile_seconds{model=\"fraud-detector\",window=\"$1\",percentile=\"$2\"} \(.*\)$/\1/p"
}
metrics | grep -q '^modelwatch_latency_objective_seconds{model="fraud-detector"} 0.25$' ||
  fail "no latency objective"

deadline=$((SECONDS + 90))
ok=0
while [ $SECONDS -lt $deadline ]; do
  p99=$(pct 1m 99)
  p50=$(pct 1m 50)
  if [ -n "$p99" ] && awk -v a="$p99" 'BEGIN { exit !(a > 0.25) }'; then ok=1; break; fi
  sleep 2
done
[ $ok = 1 ] || fail "1m p99 never rose past the 0.25 s objective (last $p99)"
awk -v m="$p50" 'BEGIN { exit !(m > 0.005 && m < 0.03) }' || fail "1m p50 left the 11 ms region: $p50"
slow=$(metrics | sed -n 's/^modelwatch_prediction_latency_seconds_bucket{model="fraud-detector",model_version="3.2.0",le="0.25"} \(.*\)$/\1/p')
all=$(metrics | sed -n 's/^modelwatch_prediction_latency_seconds_count{model="fraud-detector",model_version="3.2.0"} \(.*\)$/\1/p')
awk -v s="$slow" -v a="$all" 'BEGIN { exit !(a > s) }' || fail "no latency above 0.25 s in the histogram: $slow of $all"
echo "PASS: latency demo: 1m p99 $p99 s past the objective after $SECONDS s, p50 $p50 s"

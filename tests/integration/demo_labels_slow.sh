# `modelwatch demo --scenario labels`: labels arrive 5-20 s after their predictions and join;
# before the concept drift (20 s after start) realised accuracy and CBPE's estimate agree; after
# it the 1m realised accuracy falls while the estimate stays, and the gap shows on /metrics.
source "$(dirname "$0")/lib.sh"

start_demo labels "$WORK/demo.log" "$WORK/demo"
port=$DEMO_PORT
grep -q 'concept drift' "$WORK/demo.log" || { cat "$WORK/demo.log"; fail "the demo does not say what it does"; }
metric() {  # SERIES
  curl -fsS "http://127.0.0.1:$port/metrics" | awk -v k="$1" 'index($0, k " ") == 1 { print $NF }'
}
realised='modelwatch_model_quality{model="fraud-detector",window="1m",metric="accuracy"}'
estimated='modelwatch_model_quality_estimated{model="fraud-detector",window="1m",metric="accuracy"}'
WAIT_SECONDS=60 wait_for sh -c "[ \"\$(curl -fsS http://127.0.0.1:$port/metrics | grep -c '^modelwatch_labels_joined_total{model=\"fraud-detector\"} [1-9]')\" = 1 ]" ||
  fail "no label joined within 60 s"
deadline=$((SECONDS + 150))
gap=0
while [ $SECONDS -lt $deadline ]; do
  r=$(metric "$realised")
  e=$(metric "$estimated")
  if [ -n "$r" ] && [ -n "$e" ] && awk -v r="$r" -v e="$e" 'BEGIN { exit !(e - r > 0.25) }'; then
    gap=1
    break
  fi
  sleep 2
done
[ $gap = 1 ] || fail "realised accuracy ($r) never fell 0.25 below the estimate ($e)"
echo "PASS: after the concept drift, 1m accuracy realised $r, estimated (CBPE) $e"

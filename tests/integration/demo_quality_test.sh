# `modelwatch demo --scenario quality`: once the faults begin (20 s after start), the 1m invalid
# ratio of every injected reason turns positive, the clean features stay at 0, and
# invalid_total{reason="unseen_category",feature="payment_method"} keeps growing.
source "$(dirname "$0")/lib.sh"

start_demo quality "$WORK/demo.log" "$WORK/demo"
port=$DEMO_PORT
grep -q 'payment_method "bnpl" 10% (unseen_category)' "$WORK/demo.log" ||
  { cat "$WORK/demo.log"; fail "the demo does not say what it injects"; }

metrics() { curl -fsS "http://127.0.0.1:$port/metrics"; }
ratios() {  # "feature reason value" of the 1m window
  metrics | sed -n 's/^modelwatch_feature_invalid_ratio{model="fraud-detector",feature="\([a-z_0-9]*\)",window="1m",reason="\([a-z_]*\)"} \(.*\)$/\1 \2 \3/p'
}
unseen_total() {
  metrics | sed -n 's/^modelwatch_feature_invalid_total{model="fraud-detector",feature="payment_method",reason="unseen_category"} \(.*\)$/\1/p'
}
injected=" age:null age:out_of_range device_type:missing credit_limit:type_mismatch payment_method:unseen_category "

deadline=$((SECONDS + 90))
ok=0
while [ $SECONDS -lt $deadline ]; do
  r=$(ratios)
  [ -n "$r" ] || fail "no invalid_ratio series for window 1m"
  # Clean features: 0 for every reason; out_of_range is only rare there (a tail value beyond the
  # reference's extremes is out of range by definition), so it gets a bound instead.
  wrong=$(echo "$r" | awk -v inj="$injected" 'index(inj, " " $1 ":" $2 " ") == 0 &&
    (($2 != "out_of_range" && $3 != 0) || ($2 == "out_of_range" && $3 >= 0.005)) {printf "%s:%s=%s ", $1, $2, $3}')
  [ -z "$wrong" ] || fail "clean features show invalid values: $wrong"
  missing=$(echo "$r" | awk -v inj="$injected" 'index(inj, " " $1 ":" $2 " ") > 0 && $3 == 0 {printf "%s:%s ", $1, $2}')
  n=$(echo "$r" | awk -v inj="$injected" 'index(inj, " " $1 ":" $2 " ") > 0' | wc -l)
  [ "$n" = 5 ] || fail "expected 5 injected series, found $n"
  if [ -z "$missing" ]; then ok=1; break; fi
  sleep 2
done
[ $ok = 1 ] || { echo "$r"; fail "injected reasons not all visible within the deadline: $missing"; }
echo "$r" | awk -v inj="$injected" 'index(inj, " " $1 ":" $2 " ") > 0 {printf "  %s %s %s\n", $1, $2, $3}'

first=$(unseen_total)
sleep 3
second=$(unseen_total)
awk -v a="$first" -v b="$second" 'BEGIN { exit !(a > 0 && b > a) }' ||
  fail "unseen_category total of payment_method did not grow: $first -> $second"
echo "PASS: quality demo shows every injected reason after $SECONDS s; unseen_category total $first -> $second"

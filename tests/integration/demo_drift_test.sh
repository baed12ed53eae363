# `modelwatch demo`: drifted features turn drift_detected to 1 within a minute, the others stay 0;
# with --scenario none no feature is ever flagged.
source "$(dirname "$0")/lib.sh"

metrics() { curl -fsS "http://127.0.0.1:$1/metrics"; }
detected() {  # PORT -> "feature value" lines of the 1m window
  metrics "$1" | sed -n 's/^modelwatch_feature_drift_detected{model="fraud-detector",feature="\([a-z_0-9]*\)",window="1m"} \([01]\)$/\1 \2/p'
}

start_demo drift "$WORK/drift.log" "$WORK/drift"
drift_port=$DEMO_PORT
start_demo none "$WORK/none.log" "$WORK/none"
none_port=$DEMO_PORT
drifting="amount distance_from_home_km country"
flagged_none=""
deadline=$((SECONDS + 75))
ok=0
while [ $SECONDS -lt $deadline ]; do
  d=$(detected "$drift_port")
  n=$(detected "$none_port")
  [ -n "$d" ] || fail "no drift_detected series in the drift demo"
  flagged_none+=$(echo "$n" | awk '$2 == 1 {printf "%s ", $1}')
  wrong=$(echo "$d" | awk -v drifting=" $drifting " '$2 == 1 && index(drifting, " " $1 " ") == 0 {printf "%s ", $1}')
  [ -z "$wrong" ] || fail "undrifted features flagged in the drift demo: $wrong"
  missing=$(echo "$d" | awk -v drifting=" $drifting " '$2 == 0 && index(drifting, " " $1 " ") > 0 {printf "%s ", $1}')
  if [ -z "$missing" ]; then ok=1; break; fi
  sleep 2
done
[ $ok = 1 ] || { echo "$d"; fail "drifted features not all flagged within the deadline: $missing"; }
[ -z "$flagged_none" ] || fail "scenario none flagged: $flagged_none"
# Keep watching the clean demo a little longer: it must never flag anything.
for _ in $(seq 1 5); do
  n=$(detected "$none_port" | awk '$2 == 1 {printf "%s ", $1}')
  [ -z "$n" ] || fail "scenario none flagged: $n"
  sleep 1
done
echo "PASS: demo flags $drifting after $SECONDS s; scenario none flags nothing"

# Fleet-wide drift (deploy/prometheus/modelwatch-rules.yaml) against one daemon: two daemons
# ("fleet") each read half of a drifted log, a third ("single") reads all of it; a real Prometheus
# scrapes the three with the recording rules loaded. For every feature and output, the fleet PSI
# and Jensen-Shannon rules must equal, within 1e-4, the scores the single daemon computes over a
# window holding all the traffic.
source "$(dirname "$0")/lib.sh"

command -v prometheus >/dev/null || fail "prometheus not installed (make deps)"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
"$GEN" --lines 20000 --drift --out "$WORK/all.jsonl" --reference "$WORK/reference.jsonl" \
  --reference-rows 20000 >/dev/null
awk 'NR % 2 == 1' "$WORK/all.jsonl" >"$WORK/a.jsonl"
awk 'NR % 2 == 0' "$WORK/all.jsonl" >"$WORK/b.jsonl"

start_daemon() {  # NAME MODEL LOG: sets MW_PORT
  cat >"$WORK/$1.yaml" <<YAML
server: { listen_address: "127.0.0.1:0" }
engine: { tick_interval: 1s }
defaults:
  windows: [1h]
  time: arrival
  drift: { method: psi, extra_methods: [jensenshannon], min_samples: 100 }
models:
  - name: $2
    source: { paths: ["$3"], start_at: beginning }
    features:
      - { name: amount, path: /inputs/amount, type: numeric }
      - { name: age, path: /inputs/age, type: numeric }
      - { name: country, path: /inputs/country, type: categorical }
      - { name: device_type, path: /inputs/device_type, type: categorical }
    outputs:
      - { name: score, path: /outputs/score, type: numeric }
      - { name: predicted, path: /outputs/label, type: categorical }
    reference: { path: $WORK/reference.jsonl, format: rows }
YAML
  start_modelwatch "$WORK/$1.yaml" "$WORK/$1.log"
}
start_daemon a fleet "$WORK/a.jsonl"
a_port=$MW_PORT
start_daemon b fleet "$WORK/b.jsonl"
b_port=$MW_PORT
start_daemon single single "$WORK/all.jsonl"
s_port=$MW_PORT

cp "$ROOT/deploy/prometheus/modelwatch-rules.yaml" "$WORK/rules.yaml"
start_prometheus <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [rules.yaml]
scrape_configs:
  - job_name: modelwatch
    static_configs:
      - targets: ["127.0.0.1:$a_port", "127.0.0.1:$b_port", "127.0.0.1:$s_port"]
YAML

value() {  # QUERY -> the single value of an instant query, or nothing
  prom_query "$1" 2>/dev/null |
    sed -n 's/.*"value":\[[0-9.]*,"\([^"]*\)"\].*/\1/p'
}
is() {  # QUERY EXPECTED
  [ "$(value "$1")" = "$2" ]
}
# Every line read by all three, and a rule evaluation after that.
WAIT_SECONDS=60 wait_for is 'sum(modelwatch_source_lines_total{model="fleet"})' 20000 ||
  fail "the fleet daemons did not read 20000 lines: $(value 'sum(modelwatch_source_lines_total)')"
WAIT_SECONDS=30 wait_for is 'sum(modelwatch_source_lines_total{model="single"})' 20000 ||
  fail "the single daemon did not read 20000 lines"
WAIT_SECONDS=30 wait_for is 'sum(modelwatch:feature_bin_observations:increase1h{model="fleet", feature="amount"})' 20000 ||
  fail "the fleet bin counts never reached 20000"
sleep 3

compare() {  # KIND(feature|output) RULE METHOD COUNT
  local q="abs(modelwatch:$1_$2:fleet_1h{model=\"fleet\"} - on ($1) modelwatch_$1_drift_score{model=\"single\", window=\"1h\", method=\"$3\"})"
  local n worst
  n=$(value "count($q)")
  [ "$n" = "$4" ] || fail "$2 of $1s: $n of $4 compared ($q)"
  worst=$(value "max($q)")
  awk -v w="$worst" 'BEGIN { exit !(w + 0 <= 1e-4) }' ||
    fail "$2 of $1s: fleet and single differ by $worst"
  echo "$1 $2: fleet = single within $worst over $n $1s:" $(prom_query \
    "modelwatch:$1_$2:fleet_1h{model=\"fleet\"}" | python3 -c '
import json, sys
for r in json.load(sys.stdin)["data"]["result"]:
    print("%s=%.6g" % (r["metric"][sys.argv[1]], float(r["value"][1])))' "$1")
}
compare feature psi psi 4
compare feature jensenshannon jensenshannon 4
compare output psi psi 2
compare output jensenshannon jensenshannon 2
echo "PASS: fleet-wide PSI and Jensen-Shannon of two half-traffic daemons equal one daemon's"

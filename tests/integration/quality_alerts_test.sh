# The data-quality and pipeline alerts fire on real faults in real exposition: a log where 20 % of
# the records have a null amount, 20 % an unseen country, 10 % an unexpected input field, 10 % a
# string age, and 2 % of the lines are broken JSON, read by the daemon, scraped by a Prometheus
# holding deploy/prometheus/modelwatch-alerts.yaml (`for:` set to 0s here, so that evaluation
# alone decides). The matching alerts must fire, with the right labels; clean features must not.
source "$(dirname "$0")/lib.sh"

command -v prometheus >/dev/null || fail "prometheus not installed (make deps)"
command -v python3 >/dev/null || fail "python3 not installed (make deps)"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
"$GEN" --lines 6000 --out "$WORK/clean.jsonl" --reference "$WORK/reference.jsonl" \
  --reference-rows 5000 >/dev/null
python3 - "$WORK/clean.jsonl" "$WORK/faulty.jsonl" <<'PY'
import json, sys
with open(sys.argv[1]) as src, open(sys.argv[2], "w") as out:
    for i, line in enumerate(src):
        r = json.loads(line)
        if i % 50 == 4:
            out.write("{broken\n")
            continue
        if i % 5 == 0:
            r["inputs"]["amount"] = None
        elif i % 5 == 1:
            r["inputs"]["country"] = "ZZ"
        if i % 10 == 2:
            r["inputs"]["promo_code"] = "X1"
        elif i % 10 == 3:
            r["inputs"]["age"] = "abc"
        out.write(json.dumps(r) + "\n")
PY
: >"$WORK/predictions.jsonl"

cat >"$WORK/mw.yaml" <<YAML
server: { listen_address: "127.0.0.1:0" }
engine: { tick_interval: 1s }
defaults: { windows: [1m, 5m], time: arrival, drift: { min_samples: 100 } }
models:
  - name: fraud-detector
    source: { paths: ["$WORK/predictions.jsonl"], start_at: beginning }
    features:
      - { name: amount, path: /inputs/amount, type: numeric }
      - { name: age, path: /inputs/age, type: numeric }
      - { name: country, path: /inputs/country, type: categorical }
      - { name: device_type, path: /inputs/device_type, type: categorical }
    outputs:
      - { name: score, path: /outputs/score, type: numeric }
    reference: { path: $WORK/reference.jsonl, format: rows }
YAML
start_modelwatch "$WORK/mw.yaml" "$WORK/mw.log"

sed -E 's/^( *for: ).*/\10s/' "$ROOT/deploy/prometheus/modelwatch-alerts.yaml" >"$WORK/alerts.yaml"
start_prometheus <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [alerts.yaml]
scrape_configs:
  - job_name: modelwatch
    static_configs: [{ targets: ["127.0.0.1:$MW_PORT"] }]
YAML

# Prometheus must see the counters at 0 before the traffic, so that increase() sees it arrive.
scraped_twice() {
  prom_query 'count_over_time(modelwatch_source_lines_total[1m]) >= 2' 2>/dev/null |
    grep -q '"result":\[{'
}
WAIT_SECONDS=30 wait_for scraped_twice || fail "Prometheus did not scrape modelwatch"
head -3000 "$WORK/faulty.jsonl" >>"$WORK/predictions.jsonl"
sleep 3
tail -n +3001 "$WORK/faulty.jsonl" >>"$WORK/predictions.jsonl"

# "alertname key=value ..." of every firing alert, the labels that tell the cases apart.
firing() {
  curl -fsS "$PROM/api/v1/alerts" | python3 -c '
import json, sys
for a in json.load(sys.stdin)["data"]["alerts"]:
    if a["state"] == "firing":
        l = a["labels"]
        print(l["alertname"], " ".join("%s=%s" % (k, l[k]) for k in
              ("feature", "output", "reason", "window", "source") if k in l))' | sort
}
expected=(
  'DataQualityDegraded feature=amount reason=null window=5m'
  'DataQualityDegraded feature=age reason=type_mismatch window=5m'
  'UnseenCategoriesSurge feature=country reason=unseen_category window=5m'
  'SchemaChanged '
  'SchemaChanged feature=age reason=type_mismatch'
  'LinesRejected source=predictions'
)
all_firing() {
  local now
  now=$(firing)
  for e in "${expected[@]}"; do grep -qxF "$e" <<<"$now" || return 1; done
}
WAIT_SECONDS=40 wait_for all_firing || {
  echo "firing:"; firing
  fail "expected alerts did not all fire"
}
now=$(firing)
wrong=$(grep -E '^(DataQualityDegraded|UnseenCategoriesSurge|SchemaChanged) ' <<<"$now" |
  grep -E 'feature=(device_type|country reason=(null|type_mismatch))|output=' || true)
[ -z "$wrong" ] || fail "alerts for clean fields: $wrong"
echo "Firing:"; sed 's/^/  /' <<<"$now"
echo "PASS: nulls, unseen categories, unexpected fields, type mismatches and broken lines fire their alerts"

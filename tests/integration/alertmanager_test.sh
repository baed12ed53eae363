# The alerting path end to end, real processes on loopback: `modelwatch demo` traffic (drift,
# none and labels), a modelwatch daemon on each, a Prometheus loaded with deploy/prometheus/*.yaml,
# an Alertmanager with deploy/alertmanager/alertmanager.yml whose webhook receivers point at a
# small python3 server. FeatureDriftDetected and DatasetDriftDetected (drift) and
# ModelQualityDropped (labels: the demo's concept drift, realised accuracy falls) must reach the
# webhook (the team receiver: severity warning) within DEADLINE seconds; the clean daemon must
# fire no drift or quality alert (nor any other) for at least MIN_OBSERVE seconds; the labels
# daemon nothing but ModelQualityDropped (and no EstimatedQualityDropped on accuracy: CBPE, from
# the scores alone, cannot see concept drift). Then every PromQL expression of every dashboard
# must return data from this Prometheus (tests/integration/dashboards.py query): the clean daemon
# also watches a model server (a sleeping child in a fixture cgroup v2 directory with a memory
# limit), GPUs from the fake NVML and a filesystem, every daemon has a cost_per_hour, and the
# labels daemon a label log, so the resource, GPU, cost, quality, label and version panels have
# data; only the Triton panels may be empty (ALLOW_EMPTY there).
#
# Shortened for a test, and only here:
# - every `for:` of the alert rules becomes FOR (10s; FOR=production keeps the shipped 5m-15m, as
#   alertmanager_slow.sh does);
# - Alertmanager's group_wait 30s -> 1s and group_interval 5m -> 5s;
# - scrape and rule evaluation every 1s (every 5s with FOR=production: one scrape that misses its
#   timeout, the interval, on a loaded machine marks the target's series stale and restarts every
#   `for:` of that target, which 15 minutes of 1s scrapes of three daemons make likely);
# - the daemons run the demo's own configuration plus `drift_share: 0.25`: the demo drifts 3 of
#   its 12 features (amount, distance_from_home_km, country), a share of 0.25 that the default
#   drift_share of 0.5 would never call dataset drift.
# The demos' own daemons only write the traffic; Prometheus scrapes the three test daemons.
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
AM=$(command -v prometheus-alertmanager || command -v alertmanager || true)
command -v prometheus >/dev/null || fail "prometheus not installed (make deps)"
[ -n "$AM" ] || fail "alertmanager not installed (make deps: prometheus-alertmanager)"
command -v python3 >/dev/null || fail "python3 not installed (make deps)"
FOR=${FOR:-10s}
INTERVAL=1s
[ "$FOR" != production ] || INTERVAL=5s
DEADLINE=${DEADLINE:-100}
MIN_OBSERVE=${MIN_OBSERVE:-75}  # seconds the clean daemon is watched at least

[ -f "$FAKE_NVML" ] || fail "no fake NVML at $FAKE_NVML (build the fake_nvml target)"

# SCENARIO [EXTRA_MODEL [GPU_LIBRARY]]: a daemon on the demo's log with drift_share 0.25 and a
# cost; the lines of EXTRA_MODEL (indented by 4) are added to the model, GPU_LIBRARY to the
# resources. Sets MW_PORT.
start_daemon() {
  local dir=$WORK/$1 gpu="gpu: none"
  [ -z "${3:-}" ] || gpu="gpu_library: \"$3\""
  sed -e 's/^defaults:$/defaults:\n  drift: { drift_share: 0.25 }/' \
    -e "s#^resources:\$#resources:\n  $gpu#" "$dir/modelwatch.yaml" >"$dir/test.yaml"
  grep -q 'drift_share: 0.25' "$dir/test.yaml" || fail "could not set drift_share in $dir/test.yaml"
  grep -q "^  $gpu$" "$dir/test.yaml" || fail "could not set $gpu in $dir/test.yaml"
  # The model is the configuration's last mapping: its keys can be appended.
  printf '    cost_per_hour: { amount: 3.06, currency: USD }\n%s\n' "${2:-}" >>"$dir/test.yaml"
  # Persistence on, as in production: the checkpoint panels have data too.
  printf 'state: { directory: "%s/state", checkpoint_interval: 2s }\n' "$dir" >>"$dir/test.yaml"
  start_modelwatch "$dir/test.yaml" "$WORK/mw-$1.log"
}

# The clean daemon's model server: a sleeping child in a fixture cgroup v2 directory (a memory
# limit, CPU throttling and I/O whatever the host's cgroups allow), far from its limits.
start_bg "$WORK/server.log" sleep 7200  # outlives the slow variant (20 minutes)
mkdir -p "$WORK/cgroup"
echo "${PIDS[-1]}" >"$WORK/cgroup/cgroup.procs"
echo "${PIDS[-1]}" >"$WORK/cgroup/cgroup.threads"
echo 52428800 >"$WORK/cgroup/memory.current"
echo 1073741824 >"$WORK/cgroup/memory.max"
printf 'usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\nnr_periods 10\nnr_throttled 1\nthrottled_usec 20000\n' >"$WORK/cgroup/cpu.stat"
echo "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0" >"$WORK/cgroup/io.stat"

# 1. The webhook receiver and Alertmanager, routing the shipped configuration.
start_bg "$WORK/hook.log" python3 "$(dirname "$0")/webhook_receiver.py" "$WORK/hook.port" \
  "$WORK/hook.jsonl"
WAIT_SECONDS=10 wait_for test -s "$WORK/hook.port" || fail "webhook receiver did not start"
hook_port=$(cat "$WORK/hook.port")
sed -e "s#127.0.0.1:5001#127.0.0.1:$hook_port#" -e 's/group_wait: 30s/group_wait: 1s/' \
  -e 's/group_interval: 5m/group_interval: 5s/' \
  "$ROOT/deploy/alertmanager/alertmanager.yml" >"$WORK/alertmanager.yml"
am_port=$(free_port)
start_bg "$WORK/am.log" "$AM" --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/am" \
  --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address=

# 2. Traffic and daemons.
t0=$SECONDS
start_demo drift "$WORK/demo-drift.log" "$WORK/drift"
start_demo none "$WORK/demo-none.log" "$WORK/none"
start_demo labels "$WORK/demo-labels.log" "$WORK/labels"
start_daemon drift
drift_port=$MW_PORT
# The clean daemon also reads the GPUs (fake NVML) and the model server.
start_daemon none "    process: { cgroup: \"$WORK/cgroup\" }" "$FAKE_NVML"
none_port=$MW_PORT
start_daemon labels
labels_port=$MW_PORT

# 3. Prometheus with the shipped rules, `for:` shortened.
if [ "$FOR" = production ]; then
  cp "$ROOT/deploy/prometheus/modelwatch-alerts.yaml" "$WORK/alerts.yaml"
else
  sed -E "s/^( *for: ).*/\1$FOR/" "$ROOT/deploy/prometheus/modelwatch-alerts.yaml" >"$WORK/alerts.yaml"
fi
cp "$ROOT/deploy/prometheus/modelwatch-rules.yaml" "$WORK/rules.yaml"
start_prometheus <<YAML
global: { scrape_interval: $INTERVAL, evaluation_interval: $INTERVAL }
rule_files: [alerts.yaml, rules.yaml]
alerting:
  alertmanagers: [{ static_configs: [{ targets: ["127.0.0.1:$am_port"] }] }]
scrape_configs:
  - job_name: modelwatch
    static_configs:
      - { targets: ["127.0.0.1:$drift_port"], labels: { scenario: drift } }
      - { targets: ["127.0.0.1:$none_port"], labels: { scenario: none } }
      - { targets: ["127.0.0.1:$labels_port"], labels: { scenario: labels } }
YAML
WAIT_SECONDS=30 wait_for curl -fs "http://127.0.0.1:$am_port/-/ready" -o /dev/null ||
  { tail -5 "$WORK/am.log"; fail "alertmanager not ready"; }

# "NAME STATE SCENARIO" per alert Prometheus holds.
prom_alerts() {
  curl -fsS "$PROM/api/v1/alerts" | python3 -c '
import json, sys
for a in json.load(sys.stdin)["data"]["alerts"]:
    l = a["labels"]
    print(l["alertname"], a["state"], l.get("scenario", "-"), l.get("feature", l.get("output", l.get("metric", ""))), l.get("window", ""))'
}
# Alert names the webhook received firing, with the receiver's path: "PATH NAME".
received() {
  [ -s "$WORK/hook.jsonl" ] || return 0
  python3 -c '
import json, sys
for line in open(sys.argv[1]):
    n = json.loads(line)
    for a in n["body"]["alerts"]:
        if a["status"] == "firing":
            print(n["path"], a["labels"]["alertname"])' "$WORK/hook.jsonl" | sort -u
}
# Clean traffic must fire nothing: no drift or quality alert, nor any other.
check_none_quiet() {
  local bad
  bad=$(prom_alerts | awk '$2 == "firing" && $3 == "none"')
  [ -z "$bad" ] || fail "scenario none fired: $bad"
  # Concept drift only: realised quality falls, nothing else (CBPE's accuracy included) fires.
  bad=$(prom_alerts | awk '$2 == "firing" && $3 == "labels" && $1 != "ModelQualityDropped" &&
    !($1 == "EstimatedQualityDropped" && $4 != "accuracy")')
  [ -z "$bad" ] || fail "scenario labels fired: $bad"
}

declare -A seen
expected_alerts="FeatureDriftDetected DatasetDriftDetected ModelQualityDropped"
while :; do
  check_none_quiet
  all=1
  for a in $expected_alerts; do
    if [ -z "${seen[$a]:-}" ] && received | grep -q " $a$"; then
      seen[$a]=$((SECONDS - t0))
      echo "$a reached the webhook $((SECONDS - t0)) s after the demo started"
    fi
    [ -n "${seen[$a]:-}" ] || all=0
  done
  [ $all = 1 ] && break
  if [ $((SECONDS - t0)) -ge "$DEADLINE" ]; then
    echo "Prometheus alerts:"; prom_alerts || true
    echo "webhook:"; received
    # A failed scrape restarts the `for:` of every alert of its target: say whether one did.
    echo "lowest up and longest scrape per target since the start:"
    prom_query "min_over_time(up[$((SECONDS - t0))s])" || true
    prom_query "max_over_time(scrape_duration_seconds[$((SECONDS - t0))s])" || true
    fail "$expected_alerts did not all reach the webhook within $DEADLINE s"
  fi
  sleep 1
done
# ModelQualityDropped came from the labels daemon, for the metric the demo's story is about
# (log_loss and brier may cross their margins a little earlier than accuracy: with the shipped
# `for:` accuracy's alert may still be pending when the first one arrives).
accuracy_firing() { grep -q '^ModelQualityDropped firing labels accuracy ' <<<"$(prom_alerts)"; }
WAIT_SECONDS=$((DEADLINE + 60 - (SECONDS - t0))) wait_for accuracy_firing ||
  fail "ModelQualityDropped does not fire for accuracy on the labels daemon: $(prom_alerts)"
# The clean daemon is scraped and scored (so that its silence means something), and stays quiet.
none_scored() {
  curl -fsS "$PROM/api/v1/query" --data-urlencode \
    'query=count(modelwatch_feature_drift_threshold{scenario="none"}) >= 36' | grep -q '"result":\[{'
}
none_scored || fail "the clean daemon's 12 features x 3 windows are not all scored"
until [ $((SECONDS - t0)) -ge "$MIN_OBSERVE" ]; do
  check_none_quiet
  sleep 2
done
check_none_quiet

# Severity routing: the drift alerts are warnings, sent to the team receiver, never paged.
received | grep -q '^/team FeatureDriftDetected$' || fail "FeatureDriftDetected not routed to /team"
received | grep -q '^/team ModelQualityDropped$' || fail "ModelQualityDropped not routed to /team"
! received | grep -q '^/pager .*\(Drift\|Quality\)' || fail "a drift or quality alert was paged"
echo "Webhook received (path alertname):"; received | sed 's/^/  /'
echo "Prometheus alerts after $((SECONDS - t0)) s (name state scenario feature/output window):"
prom_alerts | sort | sed 's/^/  /'

# Every rule evaluated without error on the real series (label matching, many-to-many, ...).
curl -fsS "$PROM/api/v1/rules" | python3 -c '
import json, sys
rules = [r for g in json.load(sys.stdin)["data"]["groups"] for r in g["rules"]]
bad = [r for r in rules if r.get("health") != "ok"]
for r in bad:
    print("FAIL: rule %s: %s %s" % (r["name"], r.get("health"), r.get("lastError", "")))
print("%d/%d rules evaluate without error" % (len(rules) - len(bad), len(rules)))
sys.exit(1 if bad else 0)' || fail "rules failing on real series"

# 4. Every dashboard query returns data from this Prometheus.
python3 "$(dirname "$0")/dashboards.py" query "$PROM" "$ROOT"/grafana/dashboards/*.json ||
  fail "dashboard queries"
echo "PASS: alerts reached the webhook (feature drift ${seen[FeatureDriftDetected]} s, dataset drift ${seen[DatasetDriftDetected]} s, model quality ${seen[ModelQualityDropped]} s); scenario none fired nothing in $((SECONDS - t0)) s"

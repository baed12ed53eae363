# deploy/docker/compose.yaml without a container engine: `docker-compose config -q` (Debian's
# docker-compose 1.29 validates the file against the Compose schema offline), then what each
# service is given: every bind-mounted file exists; Prometheus' configuration passes `promtool
# check config` with the rule files it mounts (paths mapped back to the repository), and its
# scrape job is the one the rules expect; the mounted Alertmanager configuration passes amtool;
# the Grafana data source equals grafana/provisioning's apart from the Prometheus address; and
# the stack's data path runs here as processes: the simulator command of the compose file
# writes a live log, the modelwatch service's configuration (its /var/log/model mapped to that
# directory) passes check-config and serves drift for every demo feature, and Prometheus with
# the compose configuration scrapes it, evaluates every rule and answers every dashboard query.
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
D=$ROOT/deploy/docker
command -v docker-compose >/dev/null || fail "docker-compose not installed (make deps)"
docker-compose -f "$D/compose.yaml" config -q || fail "docker-compose config -q"
docker-compose -f "$D/compose.yaml" config >"$WORK/resolved.yaml" 2>"$WORK/config.err" ||
  { cat "$WORK/config.err"; fail "docker-compose config"; }

# Services, their mounts and commands, from the resolved file (relative paths made absolute).
/usr/bin/python3 - "$WORK/resolved.yaml" "$WORK" <<'PY' || fail "compose services"
import os, sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
work = sys.argv[2]
s = c["services"]
need = {"simulator", "modelwatch", "prometheus", "alertmanager", "grafana"}
if need - set(s):
    sys.exit(f"services missing: {sorted(need - set(s))}")
mounts = {}
for name, svc in s.items():
    for v in svc.get("volumes", []):
        src, dst = v.split(":")[0], v.split(":")[1]
        if src.startswith("/"):
            if not os.path.exists(src):
                sys.exit(f"{name}: bind mount source {src} does not exist")
            mounts[(name, dst)] = src
        elif src not in c.get("volumes", {}):
            sys.exit(f"{name}: volume {src} is not declared")
# The simulator and modelwatch share the log volume; modelwatch reads it only.
logs = lambda n: [v for v in s[n]["volumes"] if v.split(":")[1] == "/var/log/model"]
if not logs("simulator") or not logs("modelwatch") or logs("simulator")[0].split(":")[0] != logs("modelwatch")[0].split(":")[0]:
    sys.exit("simulator and modelwatch must share one volume at /var/log/model")
if not logs("modelwatch")[0].endswith(":ro"):
    sys.exit("modelwatch must mount the log volume read-only")
if s["modelwatch"]["depends_on"]["simulator"]["condition"] != "service_healthy":
    sys.exit("modelwatch must wait for a healthy simulator (the reference written)")
for n in ("simulator", "modelwatch"):
    if s[n]["build"]["dockerfile"] != "deploy/docker/Dockerfile":
        sys.exit(f"{n}: not built from deploy/docker/Dockerfile")
with open(os.path.join(work, "mounts"), "w") as f:
    for (n, dst), src in sorted(mounts.items()):
        f.write(f"{n} {dst} {src}\n")
with open(os.path.join(work, "simulator.cmd"), "w") as f:
    f.write("\n".join(s["simulator"]["command"]) + "\n")
with open(os.path.join(work, "modelwatch.cmd"), "w") as f:
    f.write("\n".join(s["modelwatch"]["command"]) + "\n")
PY
mount_of() { awk -v n="$1" -v d="$2" '$1 == n && $2 == d { print $3 }' "$WORK/mounts"; }

# Prometheus: its configuration with the container paths of the rule files mapped to the files
# mounted there; promtool check config also checks the rule files.
promcfg=$(mount_of prometheus /etc/prometheus/prometheus.yml)
[ -n "$promcfg" ] || fail "prometheus.yml not mounted"
cp "$promcfg" "$WORK/prometheus.yml"
while read -r svc dst src; do
  [ "$svc" = prometheus ] && sed -i "s|$dst|$src|" "$WORK/prometheus.yml"
done <"$WORK/mounts"
promtool check config "$WORK/prometheus.yml" || fail "promtool check config (compose prometheus.yml)"
grep -q 'modelwatch-alerts.yaml' "$WORK/prometheus.yml" && grep -q 'modelwatch-rules.yaml' "$WORK/prometheus.yml" ||
  fail "prometheus.yml does not load both rule files"
grep -q 'job_name: modelwatch ' "$promcfg" && grep -q '"modelwatch:10100"' "$promcfg" ||
  fail "no job modelwatch scraping modelwatch:10100 (ModelwatchDown needs job=\"modelwatch\")"
grep -q '"alertmanager:9093"' "$promcfg" || fail "alerts are not sent to alertmanager:9093"
amtool check-config "$(mount_of alertmanager /etc/alertmanager/alertmanager.yml)" || fail "amtool"

# Grafana: the dashboards and their provider from grafana/, the data source at prometheus:9090.
[ "$(mount_of grafana /var/lib/grafana/dashboards/modelwatch)" = "$ROOT/grafana/dashboards" ] ||
  fail "grafana does not mount grafana/dashboards where the provider looks"
grep -q 'path: /var/lib/grafana/dashboards/modelwatch' "$(mount_of grafana /etc/grafana/provisioning/dashboards)/modelwatch.yaml" ||
  fail "dashboard provider path"
/usr/bin/python3 - "$(mount_of grafana /etc/grafana/provisioning/datasources/prometheus.yaml)" \
  "$ROOT/grafana/provisioning/datasources/prometheus.yaml" <<'PY' || fail "grafana data source"
import sys, yaml
a, b = (yaml.safe_load(open(p)) for p in sys.argv[1:3])
ua = a["datasources"][0].pop("url"); b["datasources"][0].pop("url")
if a != b: sys.exit(f"compose data source differs from grafana/provisioning's: {a} vs {b}")
if ua != "http://prometheus:9090": sys.exit(f"url {ua}")
PY

# The data path, as processes: the simulator's command writes into a directory standing for the
# volume; the modelwatch service's configuration reads it there.
VOL=$WORK/volume
mapfile -t simcmd <"$WORK/simulator.cmd"
[ "${simcmd[0]}" = demo ] || fail "the simulator does not run modelwatch demo: ${simcmd[*]}"
simcmd=("${simcmd[@]//\/var\/log\/model/$VOL}")
start_bg "$WORK/sim.log" "$MW" "${simcmd[@]}"
WAIT_SECONDS=30 wait_for test -s "$VOL/modelwatch.yaml" || { cat "$WORK/sim.log"; fail "simulator wrote nothing"; }
mwcfg=$(mount_of modelwatch /etc/modelwatch/modelwatch.yaml)
grep -q -- "--config /etc/modelwatch/modelwatch.yaml" <(tr '\n' ' ' <"$WORK/modelwatch.cmd") ||
  fail "modelwatch does not run the mounted configuration"
sed -e "s|/var/log/model|$VOL|g; s|/var/lib/modelwatch|$WORK/state|" "$mwcfg" >"$WORK/mw.yaml"
! grep -q '"/var\|"/etc\| /var\| /etc' "$WORK/mw.yaml" || fail "a container path left in the test configuration"
"$MW" check-config --config "$WORK/mw.yaml" || fail "check-config (compose modelwatch.yaml)"
start_modelwatch "$WORK/mw.yaml" "$WORK/mw.log" --web.listen-address 127.0.0.1:0
url=http://127.0.0.1:$MW_PORT/metrics
WAIT_SECONDS=30 wait_for sh -c "curl -fsS $url 2>/dev/null | grep -q '^modelwatch_feature_drift_detected{model=\"fraud-detector\",feature=\"velocity_1h\",window=\"1m\"}'" ||
  { curl -s "$url" | grep drift_detected; fail "no drift decision for the demo features"; }
curl -fsS "$url" >"$WORK/metrics"
features=$(grep -c '^modelwatch_feature_drift_detected{model="fraud-detector",feature="[a-z_0-9]*",window="1m"}' "$WORK/metrics")
[ "$features" = 12 ] || fail "drift decisions for $features features, the demo has 12"
! grep -q '^modelwatch_record_unexpected_fields_total{model="fraud-detector"} [1-9]' "$WORK/metrics" ||
  fail "the compose configuration misses fields the simulator writes"
grep -q '^modelwatch_source_lines_rejected_total{.*} [1-9]' "$WORK/metrics" && fail "lines rejected"

# Prometheus with the compose configuration (its mounted rule files; the service names pointed
# at the local processes, the intervals shortened from 15s to 1s for the test): the modelwatch
# job is up, every rule evaluates without error, and every dashboard query has data.
sed -e "s|\"modelwatch:10100\"|\"127.0.0.1:$MW_PORT\"|" -e 's|"alertmanager:9093"|"127.0.0.1:9"|' \
  -e 's|^\(  [a-z_]*_interval:\) 15s|\1 1s|' "$WORK/prometheus.yml" >"$WORK/prometheus-local.yml"
grep -q "127.0.0.1:$MW_PORT" "$WORK/prometheus-local.yml" || fail "could not point the scrape at the test daemon"
start_prometheus <"$WORK/prometheus-local.yml"
WAIT_SECONDS=30 wait_for prom_has_value 'up{job="modelwatch"}' 1 || fail "job modelwatch not up"
WAIT_SECONDS=30 wait_for prom_has_value 'count(modelwatch_feature_drift_detected{window="5m"})' 12 ||
  fail "Prometheus has no drift decisions for the 12 features"
sleep 3  # a few evaluations of the rules and several samples for the rates
curl -fsS "$PROM/api/v1/rules" | /usr/bin/python3 -c '
import json, sys
rules = [r for g in json.load(sys.stdin)["data"]["groups"] for r in g["rules"]]
bad = [r for r in rules if r.get("health") != "ok"]
for r in bad: print("rule", r["name"], r.get("health"), r.get("lastError", ""))
print(f"{len(rules) - len(bad)}/{len(rules)} rules evaluate without error")
sys.exit(1 if bad or len(rules) < 20 else 0)' || fail "rules"
# The compose stack has no ground truth, model server, GPU or cost: the panels on those may be
# empty, and only those (a query reading a series this daemon exposes must return data).
curl -fsS "$url" >"$WORK/metrics"
WAIT_SECONDS=20 wait_for /usr/bin/python3 "$(dirname "$0")/dashboards.py" query --unexposed-ok \
  "$WORK/metrics" "$ROOT/deploy/prometheus/modelwatch-rules.yaml" \
  "$PROM" "$ROOT"/grafana/dashboards/*.json >"$WORK/dash.out" ||
  { cat "$WORK/dash.out"; fail "dashboard queries on the compose stack's data"; }
tail -1 "$WORK/dash.out"
echo "PASS: compose file valid; prometheus/alertmanager/grafana configuration checked; simulator -> modelwatch -> Prometheus (rules, dashboards) with 12 features"

# deploy/kubernetes/ without a cluster: the schema test (k8s_schema.py: fields, types, names and
# cross-references of every manifest; it must also reject broken copies), the generated files
# are what generate.py makes (the PrometheusRule's groups equal deploy/prometheus/'s, parsed;
# the reference ConfigMap is `modelwatch baseline` of the demo's reference), the pod is the one
# the issue asks for (modelwatch a native sidecar with probes on /-/ready and /-/healthy, a
# shared emptyDir log volume with a sizeLimit, the ConfigMap mounted as a directory so that
# changes reach the file), and the ConfigMap's modelwatch.yaml passes check-config and runs on
# demo traffic with the reference ConfigMap's baseline.
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
K=$ROOT/deploy/kubernetes
PY=/usr/bin/python3
SCHEMA=$(dirname "$0")/k8s_schema.py
$PY -c 'import yaml' || fail "python3-yaml not installed (make deps)"
$PY "$SCHEMA" "$K"/*.yaml || fail "schema test"

# The validator rejects what it claims to check (each mutation of a valid manifest must fail).
mutate() {  # NAME FILE SED-EXPRESSION
  mkdir -p "$WORK/m/$1"
  cp "$K"/*.yaml "$WORK/m/$1/"
  sed -i "$3" "$WORK/m/$1/$2"
  cmp -s "$K/$2" "$WORK/m/$1/$2" && fail "mutation $1 changed nothing"
  $PY "$SCHEMA" "$WORK/m/$1"/*.yaml >"$WORK/m/$1.out" 2>&1 && fail "schema test accepts mutation $1"
  echo "rejected $1: $(head -1 "$WORK/m/$1.out")"
}
mutate unknown-field deployment.yaml 's/^\(\s*\)livenessProbe:/\1livenesProbe:/'
mutate port-type deployment.yaml 's/containerPort: 10100/containerPort: "10100"/'
mutate dangling-mount deployment.yaml 's/{ name: modelwatch-state, mountPath/{ name: modelwatch-stat, mountPath/'
mutate probe-port deployment.yaml 's/port: mw-metrics }/port: metrics }/'
mutate selector deployment.yaml '0,/app.kubernetes.io\/name: fraud-detector/! s/^      app.kubernetes.io\/name: fraud-detector/      app.kubernetes.io\/name: fraud/'
mutate size-limit deployment.yaml 's/sizeLimit: 1Gi/sizeLimit: 1 GB/'
mutate podmonitor-port podmonitor.yaml 's/- port: mw-metrics/- port: web/'
mutate rule-expr prometheusrule.yaml '0,/^\(\s*\)expr: |/ s/^\(\s*\)expr: |/\1exp: |/'
mutate configmap-name configmap.yaml 's/name: modelwatch-config/name: modelwatch-cfg/'
mutate bool-label deployment.yaml 's/modelwatch.io\/sidecar: "true"/modelwatch.io\/sidecar: true/'

# Generated files.
$PY "$K/generate.py" --check rules || fail "prometheusrule.yaml is not generate.py's output"
$PY - "$K/prometheusrule.yaml" "$ROOT/deploy/prometheus" <<'PY' || fail "PrometheusRule != deploy/prometheus"
import sys, yaml
pr = yaml.safe_load(open(sys.argv[1]))
want = []
for f in ("modelwatch-alerts.yaml", "modelwatch-rules.yaml"):
    want += yaml.safe_load(open(f"{sys.argv[2]}/{f}"))["groups"]
if pr["spec"]["groups"] != want:
    sys.exit("spec.groups differ from deploy/prometheus/modelwatch-{alerts,rules}.yaml")
print(f"PrometheusRule: {len(want)} groups, {sum(len(g['rules']) for g in want)} rules, equal")
PY
"$GEN" --lines 1 --out "$WORK/unused.jsonl" --reference "$WORK/reference.jsonl" >/dev/null || fail "mw_gen"
# The demo's reference rows (mw_gen's default seed and row count are the demo's), profiled.
sed -n '/^  modelwatch.yaml: |$/,$ { /^  modelwatch.yaml: |$/d; s/^    //; p }' "$K/configmap.yaml" >"$WORK/k8s.yaml"
[ -s "$WORK/k8s.yaml" ] || fail "no modelwatch.yaml in configmap.yaml"
sed -i "s|/etc/modelwatch-reference/baseline.json|$WORK/baseline.json|; s|/var/log/model|$WORK/log|g; s|/var/lib/modelwatch|$WORK/state|" "$WORK/k8s.yaml"
! grep -q '"/var\|"/etc\| /var\| /etc' "$WORK/k8s.yaml" || fail "a path of the pod left in the test configuration"
"$MW" baseline --config "$WORK/k8s.yaml" --model fraud-detector --reference "$WORK/reference.jsonl" \
  --out "$WORK/baseline.json" >"$WORK/baseline.log" 2>&1 || { cat "$WORK/baseline.log"; fail "modelwatch baseline"; }
$PY "$K/generate.py" --check reference "$WORK/baseline.json" >"$WORK/ref.diff" ||
  { head -20 "$WORK/ref.diff"; fail "reference-configmap.yaml is not the baseline of the demo reference"; }

# The pod: native sidecar, probes, volumes, ConfigMap as a directory.
$PY - "$K/deployment.yaml" "$K/configmap.yaml" <<'PY' || fail "pod shape"
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
pod = d["spec"]["template"]["spec"]
side = [c for c in pod.get("initContainers", []) if c["name"] == "modelwatch"]
if not side or side[0].get("restartPolicy") != "Always":
    sys.exit("modelwatch is not a native sidecar (initContainers, restartPolicy: Always)")
mw = side[0]
if [c["name"] for c in pod["containers"]] != ["model-server"]:
    sys.exit("the pod's container must be the model server")
paths = {p: mw[p]["httpGet"]["path"] for p in ("startupProbe", "livenessProbe") if p in mw}
if paths != {"startupProbe": "/-/ready", "livenessProbe": "/-/healthy"}:
    sys.exit(f"probes {paths}")
vols = {v["name"]: v for v in pod["volumes"]}
def mount(c, path):
    return next((m for m in c.get("volumeMounts", []) if m["mountPath"] == path), None)
server = pod["containers"][0]
a, b = mount(mw, "/var/log/model"), mount(server, "/var/log/model")
if not a or not b or a["name"] != b["name"]:
    sys.exit("sidecar and model server do not share /var/log/model")
if not a.get("readOnly"):
    sys.exit("the sidecar must mount the logs read-only")
if "sizeLimit" not in vols[a["name"]].get("emptyDir", {}):
    sys.exit("the log volume is not an emptyDir with a sizeLimit")
cm = mount(mw, "/etc/modelwatch")
if not cm or "subPath" in cm or vols[cm["name"]]["configMap"]["name"] != "modelwatch-config":
    sys.exit("the ConfigMap must be mounted as the directory /etc/modelwatch (no subPath)")
if mw["args"][:3] != ["run", "--config", "/etc/modelwatch/modelwatch.yaml"]:
    sys.exit(f"sidecar args {mw['args']}")
if server["args"][:2] != ["demo", "--traffic-only"]:
    sys.exit("the model server stand-in is not the demo simulator")
print("pod: native sidecar, probes, shared emptyDir with sizeLimit, ConfigMap directory")
PY

# The ConfigMap's configuration on live demo traffic, with the ConfigMap's baseline.
sed -n '/^  baseline.json: |$/,$ { /^  baseline.json: |$/d; s/^    //; p }' "$K/reference-configmap.yaml" >"$WORK/baseline.json"
"$MW" check-config --config "$WORK/k8s.yaml" || fail "check-config (configmap.yaml)"
start_bg "$WORK/sim.log" "$MW" demo --traffic-only --dir "$WORK/log" --scenario none
WAIT_SECONDS=30 wait_for test -s "$WORK/log/modelwatch.yaml" || fail "simulator"
start_modelwatch "$WORK/k8s.yaml" "$WORK/mw.log" --web.listen-address 127.0.0.1:0
url=http://127.0.0.1:$MW_PORT/metrics
WAIT_SECONDS=30 wait_for sh -c "curl -fsS $url 2>/dev/null | grep -q '^modelwatch_feature_window_values{model=\"fraud-detector\",feature=\"amount\",window=\"5m\"} [1-9]'" ||
  { curl -s "$url" | grep window_values; fail "no values windowed with the Kubernetes configuration"; }
curl -fsS "$url" >"$WORK/metrics"
features=$(grep -c '^modelwatch_feature_window_values{model="fraud-detector",feature="[a-z_0-9]*",window="5m"} [1-9]' "$WORK/metrics")
[ "$features" = 12 ] || fail "values windowed for $features features, the simulator writes 12"
! grep -q '^modelwatch_record_unexpected_fields_total{model="fraud-detector"} [1-9]' "$WORK/metrics" ||
  fail "the ConfigMap's configuration misses fields the simulator writes"
echo "PASS: manifests valid (10 broken copies rejected), generated files current, sidecar pod shape, ConfigMap configuration runs"

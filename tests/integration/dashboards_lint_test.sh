# The Grafana dashboards follow the conventions (tests/integration/dashboards.py lint: a
# datasource variable and no __inputs, job/instance variables and matchers, a unit and a
# description on every panel, $__rate_interval in rate/increase, counters only in rates) and are
# exactly what grafana/build_dashboards.py writes; the panels the runbooks' first checks name
# exist. That every query returns data from a real
# Prometheus is checked in alertmanager_test.sh, which runs the stack.
source "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || fail "python3 not installed (make deps)"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
dashboards=("$ROOT"/grafana/dashboards/*.json)
[ ${#dashboards[@]} = 3 ] || fail "expected 3 dashboards, found ${#dashboards[@]}"

python3 "$ROOT/grafana/build_dashboards.py" "$WORK/built"
for f in "${dashboards[@]}"; do
  diff -u "$f" "$WORK/built/$(basename "$f")" >"$WORK/diff" ||
    { head -40 "$WORK/diff"; fail "$(basename "$f") differs from grafana/build_dashboards.py's output"; }
done

python3 "$(dirname "$0")/dashboards.py" lint "${dashboards[@]}" || fail "dashboard lint"
# The runbooks' first checks point at panels that exist.
python3 "$(dirname "$0")/dashboards.py" runbooks "$ROOT/docs/runbooks" "${dashboards[@]}" ||
  fail "runbooks name panels the dashboards do not have"

for f in "$ROOT"/grafana/provisioning/datasources/*.yaml "$ROOT"/grafana/provisioning/dashboards/*.yaml; do
  grep -q '^apiVersion: 1$' "$f" || fail "$f: no apiVersion: 1"
done
echo "PASS: ${#dashboards[@]} dashboards lint clean and match their generator"

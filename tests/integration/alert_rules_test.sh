# The Prometheus rules are valid (promtool check rules), their unit tests pass (promtool test
# rules: a firing and a quiet case for every alert, the fleet PSI/JS against hand-computed
# values), every alert has severity, summary, description and a runbook that exists, and the
# Alertmanager configuration is valid (amtool check-config).
source "$(dirname "$0")/lib.sh"

command -v promtool >/dev/null || fail "promtool not installed (make deps)"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
P=$ROOT/deploy/prometheus

promtool check rules "$P/modelwatch-alerts.yaml" "$P/modelwatch-rules.yaml" ||
  fail "promtool check rules"
(cd "$ROOT" && promtool test rules deploy/prometheus/tests/*.yaml) || fail "promtool test rules"
if command -v amtool >/dev/null; then
  amtool check-config "$ROOT/deploy/alertmanager/alertmanager.yml" || fail "amtool check-config"
else
  fail "amtool not installed (make deps: prometheus-alertmanager)"
fi

# Every rule carries the conventions; every alert has a runbook and both kinds of test case.
alerts=$(sed -n 's/^ *- alert: *\([A-Za-z0-9]*\)$/\1/p' "$P/modelwatch-alerts.yaml" | sort -u)
[ -n "$alerts" ] || fail "no alerts found"
rules=$(grep -c '^ *- alert:' "$P/modelwatch-alerts.yaml")
for key in 'severity: \(critical\|warning\|info\)$' 'summary: ' 'description: ' 'runbook_url: '; do
  n=$(grep -c "^ *$key" "$P/modelwatch-alerts.yaml")
  [ "$n" = "$rules" ] || fail "$rules alert rules but $n lines match '$key'"
done
tests=$(cat "$P"/tests/*.yaml)
for a in $alerts; do
  [[ $a =~ ^[A-Z][A-Za-z0-9]*$ ]] || fail "$a is not CamelCase"
  [ -s "$ROOT/docs/runbooks/$a.md" ] || fail "no docs/runbooks/$a.md"
  grep -q "runbook_url: https://github.com/modelwatch/modelwatch/blob/main/docs/runbooks/$a.md$" \
    "$P/modelwatch-alerts.yaml" || fail "$a: runbook_url does not point at docs/runbooks/$a.md"
  fires=$(echo "$tests" | grep -A2 "alertname: $a$" | grep -c 'exp_alerts:$' || true)
  quiet=$(echo "$tests" | grep -A2 "alertname: $a$" | grep -c 'exp_alerts: \[\]' || true)
  [ "$fires" -ge 1 ] && [ "$quiet" -ge 1 ] ||
    fail "$a: needs a firing ($fires) and a quiet ($quiet) promtool test case"
done
echo "PASS: $(echo $alerts | wc -w) alerts ($rules rules) checked, tested and documented"

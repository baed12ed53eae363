# `make install DESTDIR=... PREFIX=/usr` puts the binary, the example configuration
# (/etc/modelwatch/modelwatch.yaml), the systemd unit (once deploy/systemd/ has it), rules,
# dashboards and docs in place; the installed binary with the installed example configuration
# serves /metrics (predictions counted, drift scored). The example names a reference relative to
# itself (data/reference.jsonl) and a log under /var/log/model: the test puts demo rows there
# and runs a copy of the installed configuration whose only change is the log path.
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(dirname "$MW")
DEST=$WORK/root
make -C "$ROOT" install BUILD_DIR="$BUILD" PREFIX=/usr DESTDIR="$DEST" >"$WORK/install.log" 2>&1 ||
  { tail -30 "$WORK/install.log"; fail "make install"; }

BIN=$DEST/usr/bin/modelwatch
CONF=$DEST/etc/modelwatch/modelwatch.yaml
[ -x "$BIN" ] || fail "no executable $BIN"
cmp -s "$CONF" "$ROOT/config/modelwatch.example.yaml" || fail "$CONF is not the example"
for f in usr/share/modelwatch/prometheus/modelwatch-alerts.yaml \
  usr/share/modelwatch/prometheus/modelwatch-rules.yaml \
  usr/share/modelwatch/alertmanager/alertmanager.yml \
  usr/share/modelwatch/grafana/dashboards/overview.json \
  usr/share/modelwatch/grafana/provisioning/dashboards/modelwatch.yaml \
  usr/share/doc/modelwatch/README.md usr/share/doc/modelwatch/configuration.md \
  usr/share/doc/modelwatch/runbooks/FeatureDriftDetected.md; do
  [ -s "$DEST/$f" ] || fail "make install did not install /$f"
done
if [ -f "$ROOT/deploy/systemd/modelwatch.service" ]; then
  UNIT=$DEST/usr/lib/systemd/system/modelwatch.service
  [ -s "$UNIT" ] || fail "deploy/systemd/modelwatch.service exists but was not installed"
  grep -q '^ExecStart=/usr/bin/modelwatch run --config /etc/modelwatch/modelwatch.yaml' "$UNIT" ||
    fail "the installed unit does not start the installed binary with /etc/modelwatch: $(grep ExecStart "$UNIT")"
  ! grep -q '/usr/local' "$UNIT" || fail "the installed unit still names /usr/local"
else
  echo "deploy/systemd/modelwatch.service not in this tree: no unit installed (expected)"
fi
grep -q modelwatch <<<"$("$BIN" version)" || fail "installed binary: version"
"$BIN" check-config --config "$CONF" || fail "the installed example configuration is rejected"

# The installed configuration as it is but for the log path: its relative reference
# (data/reference.jsonl) gets the demo model's rows, its log is live demo traffic written by the
# installed binary (`demo --traffic-only`; the example's features are some of the demo's).
start_bg "$WORK/sim.log" "$BIN" demo --traffic-only --dir "$WORK/live" --scenario none
WAIT_SECONDS=30 wait_for test -s "$WORK/live/modelwatch.yaml" || { cat "$WORK/sim.log"; fail "simulator"; }
mkdir -p "$DEST/etc/modelwatch/data"
cp "$WORK/live/reference.jsonl" "$DEST/etc/modelwatch/data/reference.jsonl"
sed -e "s|\"/var/log/model/predictions.jsonl\*\"|\"$WORK/live/predictions.jsonl\"|" "$CONF" \
  >"$DEST/etc/modelwatch/test.yaml"
[ "$(diff "$CONF" "$DEST/etc/modelwatch/test.yaml" | grep -c '^>')" = 1 ] ||
  fail "the test configuration should differ from the installed one in the log path only"
start_modelwatch "$DEST/etc/modelwatch/test.yaml" "$WORK/mw.log" --web.listen-address 127.0.0.1:0
url=http://127.0.0.1:$MW_PORT
curl -fsS "$url/-/healthy" >/dev/null || fail "/-/healthy"
WAIT_SECONDS=30 wait_for sh -c "curl -fsS '$url/metrics' 2>/dev/null | grep -q '^modelwatch_feature_drift_score{model=\"fraud-detector\",feature=\"amount\"'" ||
  { curl -s "$url/metrics" | head -30; fail "installed binary: no predictions on /metrics"; }
curl -fsS "$url/metrics" >"$WORK/metrics.txt"
grep -q "^modelwatch_build_info{" "$WORK/metrics.txt" || fail "no build_info"
grep -q "^modelwatch_predictions_total{model=\"fraud-detector\",model_version=\"3.2.0\"} [1-9]" "$WORK/metrics.txt" || fail "no predictions counted"
grep -q '^modelwatch_feature_drift_score{model="fraud-detector",feature="amount"' "$WORK/metrics.txt" ||
  fail "no drift score for amount"
promtool check metrics <"$WORK/metrics.txt" || fail "promtool check metrics"
echo "PASS: make install DESTDIR: $(find "$DEST" -type f | wc -l) files; installed binary and example serve /metrics"

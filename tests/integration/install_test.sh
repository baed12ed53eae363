# `make install DESTDIR=... PREFIX=/usr` puts the binary, the example configuration
# (/etc/modelwatch/modelwatch.yaml), the systemd unit (once deploy/systemd/ has it), rules,
# dashboards and docs in place; the installed binary with the installed example configuration
# serves /metrics. The example names a reference relative to itself (data/reference.jsonl) and a
# log under /var/log/model: the test gives it demo rows there and a log through a copy of the
# installed configuration whose only change is the log path.
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
"$BIN" version | grep -q modelwatch || fail "installed binary: version"
"$BIN" check-config --config "$CONF" || fail "the installed example configuration is rejected"

# The example's relative reference, filled with the demo model's rows (the example's features
# are a subset of them), and its log path pointed at a file of demo traffic.
mkdir -p "$DEST/etc/modelwatch/data"
"$GEN" --lines 2000 --out "$WORK/predictions.jsonl" --reference "$DEST/etc/modelwatch/data/reference.jsonl" \
  --reference-rows 5000 >/dev/null || fail "mw_gen"
sed -e "s|\"/var/log/model/predictions.jsonl\*\"|\"$WORK/predictions.jsonl\"|" \
  -e "s|^  listen_address: .*|  listen_address: \"127.0.0.1:0\"|" \
  -e "s|^      start_at: end  |      start_at: beginning|" "$CONF" >"$DEST/etc/modelwatch/test.yaml"
diff "$CONF" "$DEST/etc/modelwatch/test.yaml" | grep -c '^>' | grep -qx 3 ||
  fail "the test configuration should differ from the installed one in 3 lines only"
start_modelwatch "$DEST/etc/modelwatch/test.yaml" "$WORK/mw.log"
url=http://127.0.0.1:$MW_PORT
curl -fsS "$url/-/healthy" >/dev/null || fail "/-/healthy"
WAIT_SECONDS=20 wait_for sh -c "curl -fsS '$url/metrics' | grep -q '^modelwatch_predictions_total{model=\"fraud-detector\"'" ||
  { curl -s "$url/metrics" | head -30; fail "installed binary: no predictions on /metrics"; }
curl -fsS "$url/metrics" >"$WORK/metrics.txt"
grep -q '^modelwatch_build_info{' "$WORK/metrics.txt" || fail "no build_info"
grep -q '^modelwatch_feature_drift_score{model="fraud-detector",feature="amount"' "$WORK/metrics.txt" ||
  fail "no drift score for amount"
promtool check metrics <"$WORK/metrics.txt" || fail "promtool check metrics"
echo "PASS: make install DESTDIR: $(find "$DEST" -type f | wc -l) files; installed binary and example serve /metrics"

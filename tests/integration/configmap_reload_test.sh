# The configuration as the kubelet lays out a mounted ConfigMap (deploy/kubernetes/): the file is
# a symlink through `..data`, and an update writes a new timestamped directory and renames a new
# `..data` link over the old one (atomic; the old directory is then removed). No signal is sent
# (a ConfigMap cannot send one): modelwatch notices the new content through the links by itself.
# An invalid update is refused (modelwatch_config_last_reload_successful 0, the daemon keeps
# running and serving); a valid changed one is applied (1, and the change shows: a drift method
# added with extra_methods gets its score series) while the counters carry on.
source "$(dirname "$0")/lib.sh"

CM=$WORK/configmap
# Live traffic with current event times ($WORK/predictions.jsonl, $WORK/reference.jsonl).
start_bg "$WORK/sim.log" "$MW" demo --traffic-only --dir "$WORK" --scenario none --rate 100
WAIT_SECONDS=30 wait_for test -s "$WORK/modelwatch.yaml" || { cat "$WORK/sim.log"; fail "simulator"; }
write_config "$WORK/valid.yaml" "127.0.0.1:0" ""
# kubelet layout: <dir>/..2026_12_06_10_00_00.000000001/modelwatch.yaml, ..data -> that dir,
# modelwatch.yaml -> ..data/modelwatch.yaml.
swap() {  # FILE: publish FILE as the ConfigMap's new content, the kubelet's way
  local ts=..$(date -u +%Y_%m_%d_%H_%M_%S).$RANDOM$RANDOM
  mkdir -p "$CM/$ts"
  cp "$1" "$CM/$ts/modelwatch.yaml"
  local old
  old=$(readlink "$CM/..data" 2>/dev/null || true)
  ln -s "$ts" "$CM/..data_tmp"
  mv -T "$CM/..data_tmp" "$CM/..data"
  [ -e "$CM/modelwatch.yaml" ] || ln -s ..data/modelwatch.yaml "$CM/modelwatch.yaml"
  [ -z "$old" ] || rm -rf "${CM:?}/$old"
}
mkdir -p "$CM"
swap "$WORK/valid.yaml"
[ -L "$CM/modelwatch.yaml" ] || fail "layout"
start_modelwatch "$CM/modelwatch.yaml" "$WORK/mw.log"
url=http://127.0.0.1:$MW_PORT/metrics
mwpid=${PIDS[-1]}
reload_is() { metrics_match "$url" "^modelwatch_config_last_reload_successful $1\$"; }
reload_is 1 || fail "not successful at start"

lines() { curl -fsS "$url" | sed -n 's/^modelwatch_source_lines_total{model="fraud-detector",source="predictions"} \([0-9]*\)$/\1/p'; }
WAIT_SECONDS=20 wait_for sh -c "curl -fsS $url 2>/dev/null | grep -q '^modelwatch_feature_drift_score{model=\"fraud-detector\",feature=\"amount\",window=\"5m\"'" ||
  fail "no drift scores"

sed 's/tick_interval: 1s/tick_interval: never/' "$WORK/valid.yaml" >"$WORK/invalid.yaml"
swap "$WORK/invalid.yaml"
WAIT_SECONDS=15 wait_for reload_is 0 || fail "an invalid ConfigMap update was not noticed and refused"
kill -0 "$mwpid" || fail "the daemon stopped on an invalid update"
grep -q 'reload rejected' "$WORK/mw.log" || fail "no log line for the refused reload"
curl -fsS "$url" >/dev/null || fail "not serving after a refused update"

# A valid change: PSI scores exported besides the deciding method's.
sed 's/^  drift: { min_samples: 100 }$/  drift: { min_samples: 100, extra_methods: [psi] }/' "$WORK/valid.yaml" >"$WORK/changed.yaml"
! cmp -s "$WORK/valid.yaml" "$WORK/changed.yaml" || fail "test set-up: the change changed nothing"
grep -q 'method="psi"' <<<"$(curl -fsS "$url")" && fail "psi scores before the change"
before=$(lines)
swap "$WORK/changed.yaml"
WAIT_SECONDS=15 wait_for reload_is 1 || fail "the valid ConfigMap update was not applied"
WAIT_SECONDS=10 wait_for sh -c "curl -fsS $url 2>/dev/null | grep -q '^modelwatch_feature_drift_score{model=\"fraud-detector\",feature=\"amount\",window=\"5m\",method=\"psi\"}'" ||
  fail "the applied change (extra_methods: [psi]) does not show"
after=$(lines)
[ "$after" -ge "$before" ] && [ "$after" -lt $((before + 2000)) ] ||
  fail "lines read went from $before to $after across the reload: counters or position lost"
[ "$(ls -d "$CM"/..2* | wc -l)" = 1 ] || fail "old ConfigMap directories left"
kill -0 "$mwpid" || fail "daemon gone"
grep -q 'reload: .* changed' "$WORK/mw.log" || fail "the reload was not triggered by the file change"
! grep -q 'SIGHUP received' "$WORK/mw.log" || fail "a SIGHUP was received: the test must not send one"
echo "PASS: ConfigMap updates (kubelet symlink swaps) noticed without a signal: invalid refused, valid applied, counters kept"

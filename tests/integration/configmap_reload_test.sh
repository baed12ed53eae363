# The configuration as the kubelet lays out a mounted ConfigMap (deploy/kubernetes/): the file is
# a symlink through `..data`, and an update writes a new timestamped directory and renames a new
# `..data` link over the old one (atomic; the old directory is then removed). modelwatch reads
# the file through the links, and a reload after such a swap sees the new content: an invalid
# one is refused (modelwatch_config_last_reload_successful 0, the daemon keeps running), the
# valid one again is accepted (1). Reload is triggered by SIGHUP here; the daemon also watches
# the file (interface.md §2), which this swap is the case of.
source "$(dirname "$0")/lib.sh"

CM=$WORK/configmap
"$GEN" --lines 300 --out "$WORK/predictions.jsonl" --reference "$WORK/reference.jsonl" --reference-rows 1000 >/dev/null
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
reload_is() { curl -fsS "$url" 2>/dev/null | grep -q "^modelwatch_config_last_reload_successful $1\$"; }
reload_is 1 || fail "not successful at start"

sed 's/tick_interval: 1s/tick_interval: never/' "$WORK/valid.yaml" >"$WORK/invalid.yaml"
swap "$WORK/invalid.yaml"
kill -HUP "$mwpid"
WAIT_SECONDS=10 wait_for reload_is 0 || fail "an invalid ConfigMap update was not refused"
kill -0 "$mwpid" || fail "the daemon stopped on an invalid update"
grep -q 'reload rejected' "$WORK/mw.log" || fail "no log line for the refused reload"

swap "$WORK/valid.yaml"
kill -HUP "$mwpid"
WAIT_SECONDS=10 wait_for reload_is 1 || fail "the valid ConfigMap content again was not accepted"
[ "$(ls -d "$CM"/..2* | wc -l)" = 1 ] || fail "old ConfigMap directories left"
echo "PASS: ConfigMap symlink layout read; swaps to an invalid and back to the valid content seen on reload"

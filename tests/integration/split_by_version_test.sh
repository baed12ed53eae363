# split_by_version (docs/metrics.md "Versions"): two model versions interleaved line by line, one
# of them drifted. With split_by_version: true every windowed family gains per-version series
# (the shifted version drifts, the other does not), the model's own series are exactly those of
# split_by_version: false, versions are capped by max_versions (the rest as __other__), promtool
# is clean, docs/metrics.md lists model_version for every split family, and the per-version
# windows survive a restart of the daemon (checkpoint).
source "$(dirname "$0")/lib.sh"
DOC="$(dirname "$0")/../../docs/metrics.md"
command -v promtool >/dev/null || fail "promtool not installed (make deps)"

"$GEN" --end-now --lines 3000 --out "$WORK/stable.jsonl" --reference "$WORK/reference.jsonl" \
  --reference-rows 3000 >/dev/null
"$GEN" --end-now --lines 3000 --seed 7 --drift --drift-after 0 --out "$WORK/shifted.jsonl" >/dev/null
sed -i 's/"model_version":"[^"]*"/"model_version":"canary"/' "$WORK/shifted.jsonl"
grep -q '"model_version":"canary"' "$WORK/shifted.jsonl" || fail "no version to rewrite in mw_gen's lines"
paste -d '\n' "$WORK/stable.jsonl" "$WORK/shifted.jsonl" >"$WORK/predictions.jsonl"
stable=$(sed -n '1s/.*"model_version":"\([^"]*\)".*/\1/p' "$WORK/stable.jsonl")
[ -n "$stable" ] && [ "$stable" != canary ] || fail "stable version '$stable'"

one_shot() {  # CONFIG OUT
  "$MW" run --config "$1" --one-shot >"$2" 2>"$WORK/err.log" || { cat "$WORK/err.log"; fail "one-shot ($1)"; }
  promtool check metrics <"$2" || fail "promtool check metrics ($1)"
}
value() {  # FILE SERIES-REGEX : the value of the one series matching
  local v
  v=$(grep -E "^$2 " "$1" | awk '{print $NF}')
  [ "$(printf '%s\n' "$v" | grep -c .)" = 1 ] || fail "not exactly one series $2 in $1: '$v'"
  echo "$v"
}
M='model="fraud-detector"'

write_config "$WORK/off.yaml" "127.0.0.1:0" ""
write_config "$WORK/on.yaml" "127.0.0.1:0" "  split_by_version: true"
one_shot "$WORK/off.yaml" "$WORK/off.prom"
one_shot "$WORK/on.yaml" "$WORK/on.prom"

# --- without split_by_version, no windowed series carries model_version ---
! grep -E '^modelwatch_[a-z_]*\{[^}]*model_version=[^}]*window=' "$WORK/off.prom" ||
  fail "per-version windowed series without split_by_version"

# --- the model's own series do not change; per-version series are added ---
data() { grep -v -E '^(process_|modelwatch_build_info|# )' "$1"; }
diff <(data "$WORK/off.prom") <(data "$WORK/on.prom" | grep -v -E '^modelwatch_[a-z_]*\{[^}]*model_version=[^}]*window=') ||
  fail "split_by_version changed the model's own series"
grep -q -E "^modelwatch_feature_drift_detected\{$M,feature=\"amount\",window=\"5m\"\} 1" "$WORK/on.prom" ||
  fail "the unsplit amount series is missing or does not drift"

# --- per version: the shifted version drifts, the stable one does not ---
V() { echo "$M,model_version=\"$1\""; }
[ "$(value "$WORK/on.prom" "modelwatch_feature_drift_detected\{$(V canary),feature=\"amount\",window=\"5m\"\}")" = 1 ] ||
  fail "canary's amount does not drift"
[ "$(value "$WORK/on.prom" "modelwatch_feature_drift_detected\{$(V "$stable"),feature=\"amount\",window=\"5m\"\}")" = 0 ] ||
  fail "the stable version's amount drifts"
score() { value "$WORK/on.prom" "modelwatch_feature_drift_score\{$1,feature=\"amount\",window=\"5m\",method=\"[a-z_]*\"\}" | head -1; }
s_stable=$(score "$(V "$stable")")
s_canary=$(score "$(V canary)")
s_model=$(score "$M")
awk -v a="$s_stable" -v m="$s_model" -v b="$s_canary" 'BEGIN { exit !(a < m && m < b) }' ||
  fail "amount's score: stable $s_stable, model $s_model, canary $s_canary (model not in between)"
for w in 5m 1h 24h; do
  a=$(value "$WORK/on.prom" "modelwatch_window_records\{$(V "$stable"),window=\"$w\"\}")
  b=$(value "$WORK/on.prom" "modelwatch_window_records\{$(V canary),window=\"$w\"\}")
  m=$(value "$WORK/on.prom" "modelwatch_window_records\{$M,window=\"$w\"\}")
  [ "$a" = 3000 ] && [ "$b" = 3000 ] && [ "$m" = 6000 ] || fail "window $w records: $a + $b != $m"
done
[ "$(value "$WORK/on.prom" "modelwatch_dataset_drift_detected\{$(V "$stable"),window=\"5m\"\}")" = 0 ] ||
  fail "the stable version's dataset drifts"
grep -q -E "^modelwatch_prediction_latency_percentile_seconds\{$(V canary),window=\"5m\",percentile=\"99\"\} " "$WORK/on.prom" ||
  fail "no per-version latency percentile"
grep -q -E "^modelwatch_feature_invalid_ratio\{$(V canary),feature=\"amount\",window=\"5m\",reason=\"missing\"\} " "$WORK/on.prom" ||
  fail "no per-version invalid ratio"

# --- every family with a window label is split, and docs/metrics.md says so ---
windowed=$(sed -n 's/^\(modelwatch_[a-z_]*\){[^}]*window=.*/\1/p' "$WORK/on.prom" | sort -u)
split=$(sed -n 's/^\(modelwatch_[a-z_]*\){[^}]*model_version=[^}]*window=.*/\1/p' "$WORK/on.prom" | sort -u)
[ "$windowed" = "$split" ] || fail "windowed families without per-version series: $(comm -23 <(echo "$windowed") <(echo "$split"))"
for f in $split; do
  grep -E "^\| \`$f\` \|" "$DOC" | grep -q 'model_version' ||
    fail "docs/metrics.md does not list model_version for $f"
done

# --- max_versions caps the versions; the rest share __other__ ---
awk 'NR % 6 == 5 { sub(/"model_version":"[^"]*"/, "\"model_version\":\"beta-" NR "\"") } { print }' \
  "$WORK/predictions.jsonl" >"$WORK/many.jsonl"
mv "$WORK/many.jsonl" "$WORK/predictions.jsonl"
write_config "$WORK/cap.yaml" "127.0.0.1:0" "  split_by_version: true
  max_versions: 2"
one_shot "$WORK/cap.yaml" "$WORK/cap.prom"
versions=$(sed -n 's/^modelwatch_window_records{[^}]*model_version="\([^"]*\)".*/\1/p' "$WORK/cap.prom" | sort -u | tr '\n' ' ')
[ "$versions" = "$(printf '%s\n' "$stable" canary __other__ | sort | tr '\n' ' ')" ] ||
  fail "capped versions: $versions"
other=$(value "$WORK/cap.prom" "modelwatch_window_records\{$(V __other__),window=\"24h\"\}")
[ "$other" = 1000 ] || fail "__other__ holds $other records, not the 1000 beta lines"

# --- the per-version windows survive a restart (checkpoint) ---
mv "$WORK/stable.jsonl" "$WORK/predictions.jsonl.unused"
paste -d '\n' "$WORK/predictions.jsonl.unused" "$WORK/shifted.jsonl" >"$WORK/predictions.jsonl"
write_config "$WORK/live.yaml" "127.0.0.1:0" "  split_by_version: true
state: { directory: $WORK/state, checkpoint_interval: 1s }"
records() { curl -fsS "http://127.0.0.1:$MW_PORT/metrics" | grep -E "^modelwatch_window_records\{$(V canary),window=\"1h\"\} " | awk '{print $NF}'; }
start_modelwatch "$WORK/live.yaml" "$WORK/live1.log"
canary_all() { [ "$(records)" = 3000 ]; }
WAIT_SECONDS=20 wait_for canary_all || fail "canary's 1h window never held 3000 records (live: $(records))"
# A checkpoint written after every line was read, then SIGKILL: the restart reads nothing again,
# so whatever the windows hold comes from the checkpoint.
t=$(date +%s.%N)
checkpointed() {
  local v
  v=$(curl -fsS "http://127.0.0.1:$MW_PORT/metrics" | grep -E '^modelwatch_checkpoint_last_success_timestamp_seconds ' | awk '{print $NF}')
  [ -n "$v" ] && awk -v v="$v" -v t="$t" 'BEGIN { exit !(v > t) }'
}
WAIT_SECONDS=10 wait_for checkpointed || fail "no checkpoint"
kill -9 "${PIDS[-1]}"
wait "${PIDS[-1]}" 2>/dev/null || true
start_modelwatch "$WORK/live.yaml" "$WORK/live2.log"
WAIT_SECONDS=5 wait_for canary_all || fail "after a restart canary's 1h window holds '$(records)', not 3000"
# /api/v1/status carries the same windows per version.
curl -fsS "http://127.0.0.1:$MW_PORT/api/v1/status" >"$WORK/status.json"
/usr/bin/python3 - "$WORK/status.json" "$stable" <<'PY' || fail "/api/v1/status has no per-version windows"
import json, sys
m = json.load(open(sys.argv[1]))["models"][0]
v = {x["version"]: {w["window"]: w["records"] for w in x["windows"] if w["window"] != "5m"}
     for x in m["version_windows"]}
assert v == {sys.argv[2]: {"1h": 3000, "24h": 3000}, "canary": {"1h": 3000, "24h": 3000}}, v
PY
lines=$(curl -fsS "http://127.0.0.1:$MW_PORT/metrics" | grep -E "^modelwatch_source_lines_total\{$M,source=\"predictions\"\} " | awk '{print $NF}')
[ "$lines" = 6000 ] || fail "lines after the restart: $lines (the log was read again?)"

# --- a reload that turns split_by_version off drops the per-version windows; on again starts
# them empty; the model's windows are kept throughout ---
scrape() { curl -fsS "http://127.0.0.1:$MW_PORT/metrics"; }
reloaded_at() { scrape | grep -E '^modelwatch_config_last_reload_success_timestamp_seconds ' | awk '{print $NF}'; }
split_series() { scrape | grep -c -E '^modelwatch_[a-z_]*\{[^}]*model_version=[^}]*window=' || true; }
model_records() { scrape | grep -E "^modelwatch_window_records\{$M,window=\"1h\"\} " | awk '{print $NF}'; }
reload_to() {  # CONFIG
  local before
  before=$(reloaded_at)
  cp "$1" "$WORK/live.yaml.new"
  mv "$WORK/live.yaml.new" "$WORK/live.yaml"
  changed() { [ "$(reloaded_at)" != "$before" ]; }
  WAIT_SECONDS=20 wait_for changed || fail "no reload to $1"
  sleep 1.5  # the next snapshot
}
sed 's/^  split_by_version: true$/  split_by_version: false/' "$WORK/live.yaml" >"$WORK/live_off.yaml"
cp "$WORK/live.yaml" "$WORK/live_on.yaml"
grep -q 'split_by_version: false' "$WORK/live_off.yaml" || fail "could not write the reload configuration"
reload_to "$WORK/live_off.yaml"
[ "$(split_series)" = 0 ] || fail "per-version series after a reload with split_by_version: false"
[ "$(model_records)" = 6000 ] || fail "the model's 1h window lost records in the reload: $(model_records)"
reload_to "$WORK/live_on.yaml"
[ "$(split_series)" = 0 ] || fail "per-version windows came back after split_by_version was off"
tail -n 2 "$WORK/shifted.jsonl" >>"$WORK/predictions.jsonl"
two_canaries() { [ "$(records)" = 2 ]; }
WAIT_SECONDS=20 wait_for two_canaries || fail "canary's 1h window after the reload: '$(records)', not 2"
[ "$(model_records)" = 6002 ] || fail "the model's 1h window: $(model_records), not 6002"
echo "PASS: per-version windowed series, unchanged model series, max_versions cap, restart, reload"

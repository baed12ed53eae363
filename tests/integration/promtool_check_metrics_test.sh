# `promtool check metrics` must pass on the exposition of normal traffic and of hostile values.
source "$(dirname "$0")/lib.sh"

command -v promtool >/dev/null || fail "promtool not installed (make deps)"
"$GEN" --lines 2000 --out "$WORK/predictions.jsonl" --reference "$WORK/reference.jsonl" \
  --reference-rows 3000 --drift >/dev/null
write_config "$WORK/mw.yaml" "127.0.0.1:0" ""
"$MW" run --config "$WORK/mw.yaml" --one-shot >"$WORK/demo.prom" 2>"$WORK/err.log" ||
  { cat "$WORK/err.log"; fail "one-shot failed on generated traffic"; }
grep -q '^modelwatch_feature_drift_score{' "$WORK/demo.prom" || fail "no drift scores"
promtool check metrics <"$WORK/demo.prom" || fail "promtool check metrics (generated traffic)"

# Hostile strings in every place a label value can come from the data.
long=$(head -c 10000 /dev/zero | tr '\0' 'x')
{
  printf '{"ts":"2026-11-28T00:00:01Z","model_version":"v\\"1\\\\\\n\\u0000","inputs":{"amount":1,"age":30,"country":"a\\"b\\\\c\\nd","device_type":"%s"},"outputs":{"score":0.5,"label":"x"}}\n' "$long"
  printf '{"ts":"2026-11-28T00:00:02Z","model_version":"%s","inputs":{"amount":2,"age":31,"country":"\\ud83d\\ude00","device_type":"}"},"outputs":{"score":0.4,"label":"y"}}\n' "$long"
  printf '{"ts":"2026-11-28T00:00:03Z","model_version":"\xff\xfe bad utf8","inputs":{"amount":3}}\n'
  printf '{"ts":"2026-11-28T00:00:04Z","model_version":"# HELP x\\n# TYPE y counter","inputs":{"amount":3}}\n'
} >>"$WORK/predictions.jsonl"
"$MW" run --config "$WORK/mw.yaml" --one-shot >"$WORK/hostile.prom" 2>"$WORK/err.log" ||
  { cat "$WORK/err.log"; fail "one-shot failed on hostile values"; }
promtool check metrics <"$WORK/hostile.prom" || fail "promtool check metrics (hostile values)"
grep -q 'reason="invalid_utf8"} 1' "$WORK/hostile.prom" || fail "invalid UTF-8 line not counted"
echo "PASS: promtool check metrics clean on generated and hostile input"

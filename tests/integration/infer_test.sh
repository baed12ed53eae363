# `features: { infer: { under, max } }`: the one-shot exposition, `check` and `baseline` all see
# the features found in the reference rows, with their types; `max` caps them with a warning.
source "$(dirname "$0")/lib.sh"

"$GEN" --lines 2000 --out "$WORK/predictions.jsonl" --reference "$WORK/reference.jsonl" \
  --reference-rows 5000 >/dev/null

config() {  # FILE MAX REFERENCE
  cat >"$1" <<YAML
defaults:
  windows: [5m, 1h]
  drift: { min_samples: 100 }
models:
  - name: fraud-detector
    source: { paths: ["$WORK/predictions.jsonl"] }
    record: { timestamp: { path: /ts, format: rfc3339 } }
    features: { infer: { under: /inputs, max: $2 } }
    outputs:
      - { name: score, path: /outputs/score, type: numeric }
      - { name: predicted, path: /outputs/label, type: categorical }
    reference: $3
YAML
}

config "$WORK/all.yaml" 100 "{ path: $WORK/reference.jsonl, format: rows, target: target }"
"$MW" run --config "$WORK/all.yaml" --one-shot >"$WORK/all.prom" 2>"$WORK/all.err" ||
  { cat "$WORK/all.err"; fail "one-shot failed"; }
# series: FEATURE METHOD of the 5m drift scores, sorted
scores() {
  sed -n 's/^modelwatch_feature_drift_score{model="fraud-detector",feature="\([a-z_0-9]*\)",window="5m",method="\([a-z]*\)"}.*/\1 \2/p' "$1" | sort
}
expected="account_age_days wasserstein
age wasserstein
amount wasserstein
country jensenshannon
credit_limit wasserstein
device_type jensenshannon
distance_from_home_km wasserstein
hour_of_day wasserstein
merchant_category jensenshannon
num_transactions_24h wasserstein
payment_method jensenshannon
velocity_1h wasserstein"
[ "$(scores "$WORK/all.prom")" = "$expected" ] ||
  { scores "$WORK/all.prom"; fail "inferred features or their types differ"; }
grep -q 'modelwatch_feature_drift_score{model="fraud-detector",feature="target"' "$WORK/all.prom" &&
  fail "the target became a feature"
grep -q 'modelwatch_feature_drift_score{model="fraud-detector",feature="score"' "$WORK/all.prom" &&
  fail "an output became a feature"
grep -q '^modelwatch_output_drift_score{model="fraud-detector",output="score",window="5m"' \
  "$WORK/all.prom" || fail "the outputs lost their drift series"
grep -q '12 features inferred from the reference (8 numeric, 4 categorical)' "$WORK/all.err" ||
  { cat "$WORK/all.err"; fail "no inference summary logged"; }

# The cap: the first 5 names in byte order, a warning naming how many more.
config "$WORK/five.yaml" 5 "{ path: $WORK/reference.jsonl, format: rows, target: target }"
"$MW" run --config "$WORK/five.yaml" --one-shot >"$WORK/five.prom" 2>"$WORK/five.err" ||
  { cat "$WORK/five.err"; fail "one-shot (max 5) failed"; }
[ "$(scores "$WORK/five.prom" | cut -d' ' -f1 | tr '\n' ' ')" = \
  "account_age_days age amount country credit_limit " ] ||
  { scores "$WORK/five.prom"; fail "max 5 did not keep the first five names"; }
grep -q '7 more keys past max 5 are ignored' "$WORK/five.err" ||
  { cat "$WORK/five.err"; fail "no warning about the keys past max"; }

# check and baseline see the same features; a baseline file written so feeds inference too.
"$MW" check --config "$WORK/all.yaml" --current "$WORK/predictions.jsonl" --format json \
  --fail-on none >"$WORK/check.json" || fail "check failed"
n=$(grep -o '"name":"[a-z_0-9]*","type":"[a-z]*"' "$WORK/check.json" | wc -l)
[ "$n" = 14 ] || { cat "$WORK/check.json"; fail "check reported $n fields, expected 12 + 2"; }
grep -q '"name":"payment_method","type":"categorical"' "$WORK/check.json" ||
  fail "check: payment_method is not categorical"
"$MW" baseline --config "$WORK/all.yaml" --out "$WORK/baseline.json" >/dev/null ||
  fail "baseline failed"
config "$WORK/from_baseline.yaml" 100 "{ baseline: $WORK/baseline.json }"
"$MW" run --config "$WORK/from_baseline.yaml" --one-shot >"$WORK/base.prom" 2>"$WORK/base.err" ||
  { cat "$WORK/base.err"; fail "one-shot from the baseline file failed"; }
[ "$(scores "$WORK/base.prom")" = "$expected" ] || fail "a baseline file inferred other features"
cmp -s <(grep '^modelwatch_feature_drift_score' "$WORK/all.prom") \
  <(grep '^modelwatch_feature_drift_score' "$WORK/base.prom") ||
  fail "the baseline file gave other scores than the rows"
echo "PASS: 12 features inferred with their types (one-shot, check, baseline), max caps them"

# 1,000,000 lines over 100,000 distinct categories with max_categories: 50 (issue 5): exactly 51
# category series for the feature (50 + __other__), counts summing to every line, the drift bins
# fixed by the reference, bounded memory, and an exposition promtool accepts.
# LINES overrides the line count (the categories stay at 100,000).
source "$(dirname "$0")/lib.sh"

command -v promtool >/dev/null || fail "promtool not installed (make deps)"
LINES=${LINES:-1000000}
CATS=100000

# Reference: 20 categories (c0..c19, the drift bins) and a numeric x in 0..99.
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "{\"cat\":\"c%d\",\"x\":%d}\n", i % 20, i % 100 }' \
  >"$WORK/reference.jsonl"
# Traffic: every category of 0..CATS-1 in a scrambled order, 200 records per second of log time.
gen() {  # N FILE
  awk -v n="$1" -v k=$CATS 'BEGIN { for (i = 0; i < n; i++)
    printf "{\"ts\":%.3f,\"request_id\":\"r%d\",\"inputs\":{\"cat\":\"c%d\",\"x\":%d}}\n",
           1795824000 + i / 200, i, (i * 7919) % k, i % 100 }' >"$2"
}
cat >"$WORK/mw.yaml" <<YAML
defaults:
  windows: [5m, 1h]
  max_categories: 50
models:
  - name: m
    source: { paths: ["$WORK/predictions.jsonl"], start_at: beginning }
    record:
      timestamp: { path: /ts, format: unix_seconds }
      request_id: /request_id
    features:
      - { name: cat, path: /inputs/cat, type: categorical }
      - { name: x, path: /inputs/x, type: numeric }
    reference: { path: $WORK/reference.jsonl, format: rows }
YAML

run_one_shot() {  # N -> $WORK/out.prom, peak RSS in KiB on stdout
  gen "$1" "$WORK/predictions.jsonl"
  /usr/bin/time -f %M -o "$WORK/rss" "$MW" run --config "$WORK/mw.yaml" --one-shot \
    >"$WORK/out.prom" 2>"$WORK/err.log" || { cat "$WORK/err.log"; fail "one-shot failed"; }
  cat "$WORK/rss"
}

rss_small=$(run_one_shot 100000)
rss=$(run_one_shot "$LINES")
prom="$WORK/out.prom"

series=$(grep -c '^modelwatch_feature_category_observations_total{model="m",feature="cat",' "$prom")
[ "$series" -eq 51 ] || fail "want 51 category series, got $series"
grep -q 'feature="cat",category="__other__"}' "$prom" || fail "no __other__ series"
sum=$(awk '/^modelwatch_feature_category_observations_total\{model="m",feature="cat",/ { s += $NF }
           END { printf "%d", s }' "$prom")
[ "$sum" -eq "$LINES" ] || fail "category counts sum to $sum, want $LINES"
overflow=$(awk '/^modelwatch_category_overflow_total\{model="m",feature="cat"\}/ { print $NF }' "$prom")
other=$(awk '/feature="cat",category="__other__"\}/ { print $NF }' "$prom")
[ "$overflow" = "$other" ] || fail "overflow $overflow != __other__ $other"
# The drift bins stay those of the reference: 20 categories + __other__, holding every value.
bins=$(grep -c '^modelwatch_feature_bin_observations_total{model="m",feature="cat",' "$prom")
[ "$bins" -eq 21 ] || fail "want 21 drift bins, got $bins"
bin_sum=$(awk '/^modelwatch_feature_bin_observations_total\{model="m",feature="cat",/ { s += $NF }
               END { printf "%d", s }' "$prom")
[ "$bin_sum" -eq "$LINES" ] || fail "drift bins sum to $bin_sum, want $LINES"
grep -q '^modelwatch_feature_invalid_total{model="m",feature="cat",reason="unseen_category"} '$((LINES - LINES / 5000)) "$prom" ||
  fail "unseen_category count: $(grep 'feature="cat",reason="unseen_category"' "$prom")"
grep -q '^modelwatch_duplicate_request_ids_total{model="m"} 0$' "$prom" ||
  fail "distinct ids counted as duplicates: $(grep duplicate_request_ids_total "$prom")"
promtool check metrics <"$prom" || fail "promtool check metrics"
# Memory does not grow with the number of distinct categories seen (allow 8 MiB of noise).
[ "$rss" -le $((rss_small + 8192)) ] || fail "peak RSS grew from $rss_small KiB to $rss KiB"
echo "PASS: $LINES lines, $CATS categories: 51 series summing to $LINES; peak RSS ${rss} KiB" \
  "(${rss_small} KiB for 100,000 lines)"

# `modelwatch check` and `modelwatch baseline` (interface.md §1): check's scores equal
# `run --one-shot`'s 24h window on a log that fits in it; a baseline file gives the same report
# and the same exposition as the raw rows; exit codes 0/1/2/3/4.
source "$(dirname "$0")/lib.sh"

[ -x "$GEN" ] || fail "no mw_gen at $GEN (build target mw_gen)"
# 20,000 drifted lines = 100 s of log time, far inside 24h; 20,000 reference rows.
"$GEN" --lines 20000 --out "$WORK/predictions.jsonl" --drift --drift-after 0 \
  --reference "$WORK/reference.jsonl" --reference-rows 20000 >/dev/null
"$GEN" --lines 20000 --out "$WORK/clean.jsonl" --seed 7 >/dev/null
write_config "$WORK/mw.yaml" "127.0.0.1:0" ""

expect_exit() {  # CODE CMD...: runs CMD, fails unless it exits with CODE
  local want=$1 got=0
  shift
  "$@" >"$WORK/out" 2>"$WORK/err" || got=$?
  [ "$got" = "$want" ] || { cat "$WORK/out" "$WORK/err"; fail "exit $got, not $want: $*"; }
}

check=("$MW" check --config "$WORK/mw.yaml" --model fraud-detector)
expect_exit 3 "${check[@]}" --current "$WORK/predictions.jsonl" --format json
cp "$WORK/out" "$WORK/check.json"
grep -q '"exit_code":3}$' "$WORK/check.json" || fail "exit_code missing from the JSON"

# "name score" per feature and output, from check's JSON and from the one-shot exposition.
grep -o '"name":"[a-z_0-9]*","type":"[a-z]*","method":"[a-z_]*","score":[-0-9.e+]*' \
  "$WORK/check.json" | sed 's/"name":"\([^"]*\)".*"score":/\1 /' | sort >"$WORK/check.scores"
"$MW" run --config "$WORK/mw.yaml" --one-shot >"$WORK/rows.prom"
sed -n 's/^modelwatch_\(feature\|output\)_drift_score{model="fraud-detector",[a-z]*="\([a-z_0-9]*\)",window="24h",method="[a-z_]*"} /\2 /p' \
  "$WORK/rows.prom" | sort >"$WORK/oneshot.scores"
[ "$(wc -l <"$WORK/check.scores")" = 6 ] || fail "expected 6 scores from check (4 features, 2 outputs)"
join "$WORK/check.scores" "$WORK/oneshot.scores" | awk '
  { d = $2 - $3; if (d < 0) d = -d; m = $2 < 0 ? -$2 : $2
    if (d > 1e-12 * (m > 1 ? m : 1)) { print "differs:", $0; bad = 1 } n++ }
  END { exit (bad || n != 6) }' || fail "check and run --one-shot disagree"

# A baseline file: the same report from check, the same exposition from the daemon.
expect_exit 0 "$MW" baseline --config "$WORK/mw.yaml" --model fraud-detector --out "$WORK/base.json"
expect_exit 3 "${check[@]}" --current "$WORK/predictions.jsonl" --format json --reference "$WORK/base.json"
cmp -s "$WORK/out" "$WORK/check.json" || fail "check with the baseline file differs from rows"
sed "s#path: $WORK/reference.jsonl#baseline: $WORK/base.json#; /format: rows/d; /target: target/d" \
  "$WORK/mw.yaml" >"$WORK/base.yaml"
"$MW" run --config "$WORK/base.yaml" --one-shot >"$WORK/base.prom"
diff <(grep -v '^process_\|^# ' "$WORK/rows.prom") <(grep -v '^process_\|^# ' "$WORK/base.prom") ||
  fail "the daemon's exposition differs between rows and the baseline file"

# Exit codes: clean traffic 0, --fail-on none 0, too little data 4, errors 1, usage 2.
expect_exit 0 "${check[@]}" --current "$WORK/clean.jsonl"
grep -q '^result: no drift; exit 0' "$WORK/out" || fail "text report: $(cat "$WORK/out")"
expect_exit 0 "${check[@]}" --current "$WORK/predictions.jsonl" --fail-on none
head -n 50 "$WORK/predictions.jsonl" >"$WORK/few.jsonl"
expect_exit 4 "${check[@]}" --current "$WORK/few.jsonl"
expect_exit 1 "${check[@]}" --current "$WORK/missing.jsonl"
expect_exit 1 "${check[@]}" --current "$WORK/few.jsonl" --labels "$WORK/few.jsonl"
expect_exit 2 "${check[@]}" --current "$WORK/few.jsonl" --fail-on sometimes
expect_exit 2 "$MW" check --config "$WORK/mw.yaml"
expect_exit 2 "$MW" baseline --config "$WORK/mw.yaml" --model nope --out "$WORK/x.json"
echo "PASS: check equals run --one-shot; baseline file equals rows; exit codes 0/1/2/3/4"

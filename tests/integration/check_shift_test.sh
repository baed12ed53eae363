# Issue 4's shift acceptance: `modelwatch check` with `method: auto` against a reference of 5,000
# rows flags exactly the shifted features (two numeric features moved by +0.5σ, a categorical one
# whose new category takes 20 % of the rows), and over 50 seeds with no shift it flags anything in
# fewer than 10 % of the runs. Data: tests/integration/shift_rows.py (python3, standard library).
# Environment: SEEDS (50) no-shift seeds.
source "$(dirname "$0")/lib.sh"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seeds=${SEEDS:-50}
cat >"$WORK/mw.yaml" <<YAML
defaults:
  drift: { method: auto }
models:
  - name: shift-model
    source: { paths: ["$WORK/unused.jsonl"] }
    record:
      timestamp: { path: /ts, format: rfc3339 }
    features:
      - { name: normal, path: /normal, type: numeric }
      - { name: lognormal, path: /lognormal, type: numeric }
      - { name: uniform, path: /uniform, type: numeric }
      - { name: count, path: /count, type: numeric }
      - { name: country, path: /country, type: categorical }
      - { name: plan, path: /plan, type: categorical }
    outputs:
      - { name: score, path: /score, type: numeric }
    reference: { path: $WORK/ref_1000.jsonl, format: rows }
YAML
check=("$MW" check --config "$WORK/mw.yaml" --model shift-model --current-format rows --format json)

# The shift: exit 3, and drift_detected true exactly for normal, lognormal and country.
python3 "$here/shift_rows.py" "$WORK" 1000 1 --shift
code=0
"${check[@]}" --current "$WORK/cur_1000.jsonl" >"$WORK/shift.json" 2>"$WORK/err" || code=$?
[ "$code" = 3 ] || { cat "$WORK/shift.json" "$WORK/err"; fail "shifted sample: exit $code, not 3"; }
python3 - "$WORK/shift.json" <<'PY' || fail "shifted sample: wrong features flagged"
import json, sys
r = json.load(open(sys.argv[1]))
want = {"normal": "wasserstein", "lognormal": "wasserstein", "uniform": "wasserstein",
        "count": "wasserstein", "country": "jensenshannon", "plan": "jensenshannon",
        "score": "wasserstein"}
fields = r["features"] + r["outputs"]
for f in fields:
    print("  %-10s %-14s score %-22r threshold %s drift %s" % (
        f["name"], f["method"], f["score"], f["threshold"], f["drift_detected"]))
flagged = {f["name"] for f in fields if f["drift_detected"]}
ok = (r["reference_rows"] == 5000 and r["rows"] == 5000 and r["exit_code"] == 3
      and {f["name"]: f["method"] for f in fields} == want
      and all(f["values"] == 5000 for f in fields)
      and flagged == {"normal", "lognormal", "country"})
sys.exit(0 if ok else 1)
PY

# No shift: SEEDS independent reference/current pairs from one distribution.
python3 "$here/shift_rows.py" "$WORK" 1 "$seeds"
alarms=0
for ((s = 1; s <= seeds; ++s)); do
  code=0
  "${check[@]}" --reference "$WORK/ref_$s.jsonl" --current "$WORK/cur_$s.jsonl" \
    >"$WORK/out.json" 2>"$WORK/err" || code=$?
  cat "$WORK/out.json" >>"$WORK/noshift.jsonl"
  case $code in
    0) ;;
    3) alarms=$((alarms + 1))
       echo "  seed $s flags: $(grep -o '"name":"[a-z]*"[^}]*"drift_detected":true' "$WORK/out.json" |
         sed 's/"name":"\([a-z]*\)".*/\1/' | tr '\n' ' ')" ;;
    *) cat "$WORK/out.json" "$WORK/err"; fail "seed $s: exit $code" ;;
  esac
done
python3 - "$WORK/noshift.jsonl" <<'PY'
import json, sys
top = {}
for line in open(sys.argv[1]):
    for f in (lambda r: r["features"] + r["outputs"])(json.loads(line)):
        top[f["name"]] = max(top.get(f["name"], 0.0), f["score"] / f["threshold"])
print("  largest no-shift score / threshold: " + ", ".join("%s %.3f" % kv for kv in top.items()))
PY
echo "no-shift false alarm share: $alarms/$seeds"
((alarms * 10 < seeds)) || fail "false alarm share $alarms/$seeds is not below 10 %"
echo "PASS: the shift flags exactly normal, lognormal, country (exit 3);" \
  "no-shift false alarms $alarms/$seeds"

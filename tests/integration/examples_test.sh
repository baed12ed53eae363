# Every example configuration (examples/*/modelwatch.yaml) passes `check-config` and runs
# `run --one-shot` on the sample log(s) beside it: exit 0, an exposition promtool accepts, every
# non-blank line of the samples read (modelwatch_source_lines_total = the files' line count),
# predictions counted, no line rejected unless the example says so, and the lines of the
# directory's expected.txt (if any; one extended regex per line, # comments) in the exposition.
# Conventions: examples/README.md.
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v promtool >/dev/null || fail "promtool not installed (make deps)"
n=0
for config in "$ROOT"/examples/*/modelwatch.yaml; do
  [ -e "$config" ] || fail "no examples/*/modelwatch.yaml"
  dir=$(dirname "$config")
  name=$(basename "$dir")
  out=$WORK/$name.prom
  "$MW" check-config --config "$config" >"$WORK/$name.check" 2>&1 ||
    { cat "$WORK/$name.check"; fail "$name: check-config rejects $config"; }
  "$MW" run --config "$config" --one-shot >"$out" 2>"$WORK/$name.err" ||
    { tail -20 "$WORK/$name.err"; fail "$name: run --one-shot failed"; }
  promtool check metrics <"$out" >"$WORK/$name.lint" 2>&1 ||
    { cat "$WORK/$name.lint"; fail "$name: promtool check metrics"; }

  # Lines read per model and source against the samples: what the sources' globs match.
  /usr/bin/python3 - "$config" "$out" <<'PY' || fail "$name: the samples were not all read"
import glob, os, re, sys, yaml
config, out = sys.argv[1], sys.argv[2]
base = os.path.dirname(config)
cfg = yaml.safe_load(open(config))
series = {}
for line in open(out):
    m = re.match(r'^(\w+)\{([^}]*)\} (\S+)$', line.strip())
    if m:
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2)))
        series.setdefault(m.group(1), []).append((labels, float(m.group(3))))

def total(metric, **want):
    return sum(v for l, v in series.get(metric, []) if all(l.get(k) == w for k, w in want.items()))

def lines_of(src):
    files = set()
    for p in src["paths"]:
        files.update(f for f in glob.glob(os.path.join(base, p)) if os.path.isfile(f))
    if not files:
        sys.exit(f"{src['paths']}: no sample file beside {config}")
    n = 0
    for f in files:
        with open(f, "rb") as fh:
            n += sum(1 for l in fh if l.strip())
    return n

for m in cfg["models"]:
    model = m["name"]
    want = lines_of(m["source"])
    got = total("modelwatch_source_lines_total", model=model, source="predictions")
    if got != want:
        sys.exit(f"model {model}: {got:.0f} prediction lines read, the samples have {want}")
    if total("modelwatch_predictions_total", model=model) <= 0:
        sys.exit(f"model {model}: no prediction counted")
    rejected = total("modelwatch_source_lines_rejected_total", model=model)
    allowed = os.path.exists(os.path.join(base, "rejected-lines-expected"))
    if rejected and not allowed:
        sys.exit(f"model {model}: {rejected:.0f} lines rejected (create rejected-lines-expected "
                 "beside the configuration if the sample has bad lines on purpose)")
    # source: predictions (in-line labels) has no label log of its own.
    if "ground_truth" in m and isinstance(m["ground_truth"]["source"], dict):
        want = lines_of(m["ground_truth"]["source"])
        got = total("modelwatch_source_lines_total", model=model, source="labels")
        if got != want:
            sys.exit(f"model {model}: {got:.0f} label lines read, the samples have {want}")
    print(f"model {model}: {want} lines read")
PY
  if [ -f "$dir/expected.txt" ]; then
    while IFS= read -r re; do
      case "$re" in '' | '#'*) continue ;; esac
      grep -Eq -- "$re" "$out" || fail "$name: no line of the exposition matches '$re'"
    done <"$dir/expected.txt"
  fi
  n=$((n + 1))
done
echo "PASS: $n example(s) checked and run on their samples"

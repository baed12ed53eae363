# Triton beside modelwatch (docs/guides/triton.md): the recording rules are valid and give the
# hand-computed values of their promtool test; the guide's Prometheus configuration (both jobs,
# modelwatch's rules and Triton's) passes promtool check config; and every rule the guide names
# exists in triton-rules.yaml.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$ROOT/deploy/prometheus/triton
command -v promtool >/dev/null || fail "promtool not installed (make deps)"
promtool check rules "$T/triton-rules.yaml" || fail "promtool check rules"
(cd "$T" && promtool test rules triton-rules_test.yaml) || fail "promtool test rules"
(cd "$T" && promtool check config prometheus.yml) || fail "promtool check config"
rules=$(sed -n 's/^ *- record: \(.*\)$/\1/p' "$T/triton-rules.yaml")
for r in $rules; do
  grep -q "expr: $r$" "$T/triton-rules_test.yaml" || fail "rule $r has no test"
done
for r in $(grep -o 'triton:[a-z_0-9:]*' "$ROOT/docs/guides/triton.md" | sort -u); do
  grep -qx "$r" <<<"$rules" || fail "the guide names $r, which triton-rules.yaml does not record"
done
echo "PASS: $(echo $rules | wc -w) Triton rules tested; guide and configuration consistent"

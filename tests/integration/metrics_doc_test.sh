# docs/metrics.md lists exactly the metric families a running daemon exposes.
source "$(dirname "$0")/lib.sh"
DOC="$(dirname "$0")/../../docs/metrics.md"

"$GEN" --end-now --lines 500 --out "$WORK/predictions.jsonl" --reference "$WORK/reference.jsonl" \
  --reference-rows 3000 >/dev/null
# Every family, the operational ones included: a model server (a sleeping child in a fixture
# cgroup v2 directory, so the limit and throttling series exist on any host), GPUs from the fake
# NVML, a filesystem and a cost.
[ -f "$FAKE_NVML" ] || fail "no fake NVML at $FAKE_NVML (build the fake_nvml target)"
start_bg "$WORK/server.log" sleep 600
mkdir -p "$WORK/cgroup"
echo "${PIDS[-1]}" >"$WORK/cgroup/cgroup.procs"
echo "${PIDS[-1]}" >"$WORK/cgroup/cgroup.threads"
echo 52428800 >"$WORK/cgroup/memory.current"
echo 1073741824 >"$WORK/cgroup/memory.max"
printf 'usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\nnr_periods 10\nnr_throttled 1\nthrottled_usec 20000\n' >"$WORK/cgroup/cpu.stat"
echo "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0" >"$WORK/cgroup/io.stat"
write_config "$WORK/mw.yaml" "127.0.0.1:0" "state: { directory: $WORK/state }
resources: { gpu_library: $FAKE_NVML, filesystems: [$WORK] }" \
  "    process: { cgroup: $WORK/cgroup }
    cost_per_hour: { amount: 3.06, currency: USD }"
# With ground truth, so the label and model-quality families are exposed too: a label per line.
cat >>"$WORK/mw.yaml" <<YAML
    ground_truth:
      source: { paths: ["$WORK/labels.jsonl"], start_at: beginning }
      record: { request_id: /request_id, label: /label }
      prediction: predicted
      score: score
      positive_class: fraud
      min_samples: 10
YAML
sed -n 's/^{"ts":"[^"]*","request_id":"\([^"]*\)".*"label":"\([^"]*\)".*/{"request_id":"\1","label":"\2"}/p' \
  "$WORK/predictions.jsonl" >"$WORK/labels.jsonl"
[ "$(wc -l <"$WORK/labels.jsonl")" -eq 500 ] || fail "labels not derived from the predictions"
start_modelwatch "$WORK/mw.yaml" "$WORK/mw.log"
port=$MW_PORT
# Ticks are 1 s: wait for a snapshot that has seen the whole file.
WAIT_SECONDS=20 wait_for sh -c "curl -fsS http://127.0.0.1:$port/metrics | grep -q '^modelwatch_source_lines_total{.*} 500$'" ||
  fail "lines never reached 500"
curl -fsS "http://127.0.0.1:$port/metrics" | sed -n 's/^# TYPE \([a-zA-Z_:][a-zA-Z0-9_:]*\) .*/\1/p' | sort -u >"$WORK/exposed"
# The log-shape families appear only with match/pair; log_shapes_test.sh checks those.
awk '/^## Log shapes/ {skip = 1; next} /^## / {skip = 0} !skip' "$DOC" |
  sed -n 's/^| `\([a-z_]*\)` | .*/\1/p' | sort -u >"$WORK/documented"
undocumented=$(comm -23 "$WORK/exposed" "$WORK/documented")
missing=$(comm -13 "$WORK/exposed" "$WORK/documented")
[ -z "$undocumented" ] || fail "exposed but not in docs/metrics.md: $undocumented"
[ -z "$missing" ] || fail "in docs/metrics.md but not exposed: $missing"
echo "PASS: $(wc -l <"$WORK/exposed") families, all documented"

# The model server beside the daemon, followed through a restart (pid_file: up 1, 0, then 1 with
# the new pid); GPUs from the fake NVML; no NVML: no GPU series and one log line; promtool clean.
source "$(dirname "$0")/lib.sh"

"$GEN" --lines 200 --out "$WORK/predictions.jsonl" --reference "$WORK/reference.jsonl" \
  --reference-rows 1000 >/dev/null
[ -f "$FAKE_NVML" ] || fail "no fake NVML at $FAKE_NVML (build the fake_nvml target)"

start_bg "$WORK/first.log" sleep 600
first=${PIDS[-1]}
echo "$first" >"$WORK/model.pid"
write_config "$WORK/mw.yaml" "127.0.0.1:0" "resources: { gpu_library: $FAKE_NVML, filesystems: [$WORK] }" \
  "    process: { pid_file: model.pid }
    cost_per_hour: { amount: 3.06, currency: EUR }"
start_modelwatch "$WORK/mw.yaml" "$WORK/mw.log"
url=http://127.0.0.1:$MW_PORT/metrics
scrape() { curl -fsS "$url" >"$WORK/metrics"; }
has() { scrape && grep -q "^$1" "$WORK/metrics"; }

WAIT_SECONDS=10 wait_for has 'modelwatch_model_server_up{model="fraud-detector"} 1$' || fail "server not up"
grep -q "^modelwatch_model_server_info{model=\"fraud-detector\",pid=\"$first\",comm=\"sleep\",cgroup=\"[^\"]*\"} 1$" "$WORK/metrics" ||
  fail "no info series for pid $first: $(grep model_server_info "$WORK/metrics")"
grep -q '^modelwatch_model_server_resident_memory_bytes{model="fraud-detector"} [1-9]' "$WORK/metrics" || fail "no RSS"
grep -q '^modelwatch_model_server_threads{model="fraud-detector"} 1$' "$WORK/metrics" || fail "sleep has one thread"
grep -q '^modelwatch_gpu_power_watts{gpu="0",uuid="GPU-11111111-2222-3333-4444-555555555555"} 123.456$' "$WORK/metrics" || fail "GPU 0 power"
grep -q '^modelwatch_gpu_memory_total_bytes{gpu="1",uuid="GPU-66666666-7777-8888-9999-000000000000"} 17179869184$' "$WORK/metrics" || fail "GPU 1 memory"
! grep -q '^modelwatch_gpu_power_watts{gpu="1"' "$WORK/metrics" || fail "GPU 1 reports no power: no series"
grep -q "^modelwatch_filesystem_size_bytes{path=\"$WORK\"} [1-9]" "$WORK/metrics" || fail "filesystem size"
grep -q '^modelwatch_cost_per_hour{model="fraud-detector",currency="EUR"} 3.06$' "$WORK/metrics" || fail "cost"
grep -q '^modelwatch_latency_objective_seconds{model="fraud-detector"} 0.25$' "$WORK/metrics" || fail "objective"
if command -v promtool >/dev/null; then
  promtool check metrics <"$WORK/metrics" || fail "promtool check metrics"
fi

kill "$first"
WAIT_SECONDS=10 wait_for has 'modelwatch_model_server_up{model="fraud-detector"} 0$' || fail "server still up after it exited"
! grep -q '^modelwatch_model_server_info' "$WORK/metrics" || fail "info series of a server that is gone"
! grep -q '^modelwatch_model_server_cpu_seconds_total' "$WORK/metrics" || fail "cpu of a server that is gone"

start_bg "$WORK/second.log" sleep 600
second=${PIDS[-1]}
echo "$second" >"$WORK/model.pid"
WAIT_SECONDS=10 wait_for has "modelwatch_model_server_info{model=\"fraud-detector\",pid=\"$second\"" ||
  fail "the restarted server ($second) was not found"
grep -q 'modelwatch_model_server_up{model="fraud-detector"} 1$' "$WORK/metrics" || fail "not up again"
grep -q 'NVML loaded' "$WORK/mw.log" || fail "no NVML log line"

# Without NVML: no GPU family at all, and exactly one log line however many scrapes.
write_config "$WORK/nogpu.yaml" "127.0.0.1:0" "resources: { gpu_library: /nonexistent/libnvidia-ml.so.1 }"
start_modelwatch "$WORK/nogpu.yaml" "$WORK/nogpu.log"
for _ in 1 2 3; do
  curl -fsS "http://127.0.0.1:$MW_PORT/metrics" >"$WORK/nogpu.metrics"
  sleep 1.1
done
! grep -q 'modelwatch_gpu_' "$WORK/nogpu.metrics" || fail "GPU series without NVML"
lines=$(grep -ci 'nvml' "$WORK/nogpu.log" || true)
[ "$lines" = 1 ] || fail "expected one NVML log line, got $lines: $(cat "$WORK/nogpu.log")"
grep -q 'no GPU metrics, NVML not loaded: cannot load /nonexistent/libnvidia-ml.so.1' "$WORK/nogpu.log" || fail "the line says why"
# A reload that adds a filesystem brings its series, and says nothing more about NVML.
write_config "$WORK/nogpu.yaml" "127.0.0.1:0" "resources: { gpu_library: /nonexistent/libnvidia-ml.so.1, filesystems: [$WORK] }"
WAIT_SECONDS=20 wait_for sh -c "curl -fsS http://127.0.0.1:$MW_PORT/metrics | grep -q '^modelwatch_filesystem_size_bytes{path=\"$WORK\"}'" ||
  fail "the filesystem added by a reload never appeared"
lines=$(grep -ci 'nvml' "$WORK/nogpu.log" || true)
[ "$lines" = 1 ] || fail "a reload repeated the NVML line ($lines lines)"
echo "PASS: model server restart followed, GPUs mapped, no NVML handled, reload applied"

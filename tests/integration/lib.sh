# Shared helpers for the integration tests (sourced). Every test runs real processes on
# loopback in a temporary directory and cleans up after itself.
set -euo pipefail

MW=${1:?usage: $0 MODELWATCH_BINARY [MW_GEN_BINARY]}
MW=$(readlink -f "$MW")
GEN=${2:-$(dirname "$MW")/bench/mw_gen}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mw-it.XXXXXX")
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# A TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  fail "no free port"
}

# wait_for CMD... : retries CMD for up to $WAIT_SECONDS (default 30) seconds.
wait_for() {
  local deadline=$((SECONDS + ${WAIT_SECONDS:-30}))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

# start_bg LOG CMD... : runs CMD in the background with its output in LOG and registers it for
# cleanup. Call it directly, never inside $(...): a subshell would lose the registration and
# leave the process running after the test.
start_bg() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  PIDS+=($!)
}

# start_modelwatch CONFIG LOG [FLAGS...] : starts the daemon and waits until it is ready; sets
# MW_PORT to the port it bound (configurations here listen on 127.0.0.1:0).
# metrics_match URL REGEX : whether the page at URL has a line matching REGEX (extended). The
# page is fetched whole first: with pipefail, `curl | grep -q` fails whenever grep stops reading
# before curl has written a large /metrics (curl's write error, exit 23).
metrics_match() {
  local page
  page=$(curl -fsS "$1" 2>/dev/null) || return 1
  grep -qE -- "$2" <<<"$page"
}

start_modelwatch() {
  local config=$1 log=$2
  shift 2
  start_bg "$log" "$MW" run --config "$config" "$@"
  WAIT_SECONDS=30 wait_for grep -q 'msg=ready\|"msg":"ready"' "$log" ||
    { cat "$log"; fail "modelwatch ($config) not ready"; }
  MW_PORT=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$log" | head -1)
  [ -n "$MW_PORT" ] || fail "no port in $log"
}

# start_demo SCENARIO LOG DIR : starts `modelwatch demo` on a free port; sets DEMO_PORT.
start_demo() {
  start_bg "$2" "$MW" demo --scenario "$1" --web.listen-address 127.0.0.1:0 --dir "$3"
  WAIT_SECONDS=30 wait_for grep -q 'serving http://localhost:' "$2" ||
    { cat "$2"; fail "demo $1 did not start"; }
  DEMO_PORT=$(sed -n 's/.*serving http:\/\/localhost:\([0-9]*\)\/metrics.*/\1/p' "$2" | head -1)
}

# start_prometheus : a Prometheus on a free loopback port with the configuration read from
# standard input (written to $WORK/prometheus.yml, so rule_files are relative to $WORK);
# sets PROM (its base URL) and waits until it is ready.
start_prometheus() {
  command -v prometheus >/dev/null || fail "prometheus not installed (make deps)"
  cat >"$WORK/prometheus.yml"
  local port
  port=$(free_port)
  start_bg "$WORK/prom.log" prometheus --config.file="$WORK/prometheus.yml" \
    --storage.tsdb.path="$WORK/tsdb" --web.listen-address="127.0.0.1:$port"
  PROM=http://127.0.0.1:$port
  WAIT_SECONDS=30 wait_for curl -fs "$PROM/-/ready" -o /dev/null ||
    { tail -5 "$WORK/prom.log"; fail "prometheus not ready"; }
}

prom_query() { curl -fsS "$PROM/api/v1/query" --data-urlencode "query=$1"; }
# prom_has_value QUERY VALUE : the query's (single) result has exactly VALUE.
prom_has_value() { prom_query "$1" 2>/dev/null | grep -q "\"$2\"\]"; }

# Writes the bench/demo model's config for a log and a reference under $WORK.
# EXTRA_MODEL (optional) is appended to the model's mapping (indent its keys by 4 spaces).
write_config() {  # FILE LISTEN EXTRA_DEFAULTS [EXTRA_MODEL]
  cat >"$1" <<YAML
server:
  listen_address: "$2"
engine:
  tick_interval: 1s
defaults:
  windows: [5m, 1h, 24h]
  drift: { min_samples: 100 }
$3
models:
  - name: fraud-detector
    source:
      paths: ["$WORK/predictions.jsonl"]
      start_at: beginning
    record:
      timestamp: { path: /ts, format: rfc3339 }
      request_id: /request_id
      model_version: /model_version
      latency: { path: /latency_ms, unit: milliseconds, objective: 250ms }
    features:
      - { name: amount, path: /inputs/amount, type: numeric }
      - { name: age, path: /inputs/age, type: numeric }
      - { name: country, path: /inputs/country, type: categorical }
      - { name: device_type, path: /inputs/device_type, type: categorical }
    outputs:
      - { name: score, path: /outputs/score, type: numeric }
      - { name: predicted, path: /outputs/label, type: categorical }
    reference:
      path: $WORK/reference.jsonl
      format: rows
      target: target
${4:-}
YAML
}

# The fake libnvidia-ml the build makes for tests (tests/fakes/fake_nvml.cc).
FAKE_NVML=$(dirname "$MW")/libfake_nvml.so

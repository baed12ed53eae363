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

# Writes the bench/demo model's config for a log and a reference under $WORK.
write_config() {  # FILE LISTEN EXTRA_DEFAULTS
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
      latency: { path: /latency_ms, unit: milliseconds }
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
YAML
}

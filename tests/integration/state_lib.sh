# Helpers of the files-and-state tests (sourced after lib.sh): a minimal model over the
# writer's log (tests/integration/log_writer.py), scraping and counters.
WRITER="$(dirname "$0")/log_writer.py"

# state_config FILE LISTEN STATE_DIR [EXTRA_FEATURE_LINES] : a model over $WORK/logs.
state_config() {
  mkdir -p "$WORK/logs"
  [ -f "$WORK/reference.jsonl" ] || python3 - "$WORK/reference.jsonl" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(500):
        f.write('{"x": %d.5, "c": "c%d", "z": %d}\n' % (i % 97, i % 5, i % 11))
PY
  local state="" second='      - { name: c, path: /inputs/c, type: categorical }'
  [ $# -ge 4 ] && second=$4
  [ -n "$3" ] && state="state: { directory: \"$3\", checkpoint_interval: 1s }"
  cat >"$1" <<YAML
server:
  listen_address: "$2"
engine:
  tick_interval: 1s
$state
defaults:
  windows: [5m, 1h]
  time: arrival
  drift: { min_samples: 10 }
models:
  - name: m
    source:
      paths: ["$WORK/logs/predictions.jsonl*"]
      start_at: beginning
    record:
      request_id: /request_id
    features:
      - { name: x, path: /inputs/x, type: numeric }
$second
    reference:
      path: $WORK/reference.jsonl
      format: rows
YAML
}

# metric PORT REGEX : the value of the first series matching REGEX (anchored at line start), or
# nothing.
metric() {
  curl -fsS "http://127.0.0.1:$1/metrics" 2>/dev/null | grep -E "^$2" | head -1 | awk '{print $NF}'
}

lines_total() { metric "$1" 'modelwatch_source_lines_total\{[^}]*\}'; }

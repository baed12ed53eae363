# Shared by the bench/*.sh scripts (sourced): the reference workload's configuration, pinning,
# medians, and the live daemon's helpers. Sets nothing global except what its functions say.

bench_die() { echo "bench: $*" >&2; exit 1; }

# median: the median of the numbers on standard input, one a line.
median() {
  sort -g | awk '{v[NR] = $1} END {printf "%.10g\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# percentile P: the P-th percentile (nearest rank) of the numbers on standard input.
percentile() {
  sort -g | awk -v p="$1" '{v[NR] = $1} END {r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1; print v[r]}'
}

# bench_pin CPU: sets PIN to a taskset prefix for CPU when it can be used, else empty.
bench_pin() {
  PIN=()
  if command -v taskset >/dev/null && taskset -c "$1" true 2>/dev/null; then
    PIN=(taskset -c "$1")
    echo "pinned to CPU $1 with taskset"
  else
    echo "NOT pinned (taskset missing or CPU $1 unavailable): numbers are noisier"
  fi
}

# write_workload_config FILE LOG REFERENCE [all] : performance.md's reference workload: the fraud
# model, windows 5m/1h/24h, every feature and both outputs with `method: auto` (or, with `all`,
# every drift method). BENCH_TOP (optional) is added at the top level (server:, state:, ...);
# BENCH_START_AT (default beginning) is the source's start_at; BENCH_BASELINE (optional) a baseline
# file (`modelwatch baseline`) used as the reference instead of REFERENCE's rows.
write_workload_config() {
  local file="$1" log="$2" ref="$3" numeric="" categorical="" extra=""
  if [[ "${4:-}" == all ]]; then
    numeric=", drift: { method: wasserstein }"
    categorical=", drift: { method: jensenshannon }"
    extra=", extra_methods: [psi, kl, jensenshannon, hellinger, wasserstein, ks, chisquare, z, linf]"
  fi
  {
    echo "engine: { tick_interval: 1s }"
    echo "resources: { gpu: none, filesystems: [] }"
    [[ -n "${BENCH_TOP:-}" ]] && echo "$BENCH_TOP"
    echo "defaults:"
    echo "  windows: [5m, 1h, 24h]"
    echo "  drift: { method: auto$extra }"
    echo "models:"
    echo "  - name: fraud-detector"
    echo "    source: { paths: [\"$log\"], start_at: ${BENCH_START_AT:-beginning} }"
    echo "    record:"
    echo "      timestamp: { path: /ts, format: rfc3339 }"
    echo "      request_id: /request_id"
    echo "      model_version: /model_version"
    echo "      latency: { path: /latency_ms, unit: milliseconds }"
    echo "    features:"
    for f in amount age account_age_days num_transactions_24h distance_from_home_km hour_of_day \
             velocity_1h credit_limit; do
      echo "      - { name: $f, path: /inputs/$f, type: numeric$numeric }"
    done
    for f in country merchant_category device_type payment_method; do
      echo "      - { name: $f, path: /inputs/$f, type: categorical$categorical }"
    done
    echo "    outputs:"
    echo "      - { name: score, path: /outputs/score, type: numeric$numeric }"
    echo "      - { name: predicted, path: /outputs/label, type: categorical$categorical }"
    if [[ -n "${BENCH_BASELINE:-}" ]]; then
      echo "    reference: { baseline: $BENCH_BASELINE }"
    else
      echo "    reference: { path: $ref, format: rows, target: target }"
    fi
  } >"$file"
}

# write_wide_config FILE LOG REFERENCE FEATURES : the wide workload of bench/wide.h (mw_gen
# --wide FEATURES), every feature monitored with `method: auto`, limits.max_series raised so
# that every series is rendered (the scrape target is about rendering them all).
write_wide_config() {
  local file="$1" log="$2" ref="$3" n="$4" i name type
  {
    echo "engine: { tick_interval: 1s }"
    echo "resources: { gpu: none, filesystems: [] }"
    echo "limits: { max_series: 1000000 }"
    [[ -n "${BENCH_TOP:-}" ]] && echo "$BENCH_TOP"
    echo "defaults:"
    echo "  windows: [5m, 1h, 24h]"
    echo "models:"
    echo "  - name: wide"
    echo "    source: { paths: [\"$log\"], start_at: beginning }"
    echo "    record:"
    echo "      timestamp: { path: /ts, format: rfc3339 }"
    echo "      request_id: /request_id"
    echo "      model_version: /model_version"
    echo "      latency: { path: /latency_ms, unit: milliseconds }"
    echo "    features:"
    for ((i = 0; i < n; ++i)); do
      if ((i % 2 == 0)); then type=numeric; else type=categorical; fi
      printf -v name '%s%03d' "${type:0:1}" "$i"  # n000, c001, ...: bench/wide.cc's names
      echo "      - { name: $name, path: /inputs/$name, type: $type }"
    done
    echo "    outputs:"
    echo "      - { name: score, path: /outputs/score, type: numeric }"
    echo "      - { name: predicted, path: /outputs/label, type: categorical }"
    echo "    reference: { path: $ref, format: rows, target: target }"
  } >"$file"
}

# free_port: a loopback TCP port nothing listens on now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# metric URL NAME_AND_LABELS : the value of the first series that starts with NAME_AND_LABELS.
metric() {
  curl -fsS "$1/metrics" 2>/dev/null | awk -v p="$2" 'index($0, p) == 1 {print $NF; exit}'
}

# wait_metric URL SERIES VALUE [SECONDS] : until the series reads VALUE (default 600 s).
wait_metric() {
  local deadline=$((SECONDS + ${4:-600})) v=""
  while ((SECONDS < deadline)); do
    v="$(metric "$1" "$2" 2>/dev/null || true)"
    [[ "$v" == "$3" ]] && return 0
    sleep 0.5
  done
  echo "bench: $2 is '$v', not $3, after ${4:-600} s" >&2
  return 1
}

# wait_ready URL [SECONDS]
wait_ready() {
  local deadline=$((SECONDS + ${2:-60}))
  until curl -fs "$1/-/ready" -o /dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# cpu_ticks PID : utime + stime of PID in clock ticks (/proc/PID/stat fields 14 and 15).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# rss_kib PID [FIELD] : VmRSS (or FIELD, e.g. VmHWM) of PID in KiB.
rss_kib() { awk -v f="${2:-VmRSS}:" '$1 == f {print $2}' "/proc/$1/status"; }

#!/usr/bin/python3
"""Timing client for the bench scripts (standard library only).

  mwclient.py scrape URL [--count N] [--gzip] [--new-connection] [--pid PID]
      GETs URL (a /metrics) N times (default 200) one after the other on one keep-alive
      connection, as Prometheus does, and prints one line:
        scrapes=N p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. bytes=.. encoding=..
      Each time runs from just before the request is sent to the last byte of the body
      (time.perf_counter_ns). p99 is the nearest-rank percentile.
      With --pid (the server's process), also the CPU time its threads other than the main one
      (the HTTP threads: the main thread reads logs and ticks) spent on each request, from
      /proc/PID/task/*/schedstat (nanoseconds), read before and after it:
        cpu_p50_ms=.. cpu_p90_ms=.. cpu_p99_ms=.. cpu_max_ms=..
      On a shared, overloaded machine the wall time includes waiting for a core; the CPU time
      is what a request costs when a core is free.
  mwclient.py ready URL -- COMMAND...
      Starts COMMAND, polls URL (a /-/ready) every millisecond until it answers 200, prints
        ready_s=.. cpu_s=..
      (wall time from just before the process is started; the CPU time, user + system, the
      process had used by then, from /proc/PID/stat: what start-up costs when a core is free),
      then stops it with SIGTERM and waits for it. COMMAND must exec the server (taskset does).
"""
import http.client
import os
import signal
import subprocess
import sys
import time
import urllib.parse


def percentile(sorted_values, p):
    rank = max(1, -(-len(sorted_values) * p // 100))  # nearest rank: ceil(p/100 * n)
    return sorted_values[int(rank) - 1]


def server_cpu_ns(pid):
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        if tid == str(pid):
            continue
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # a thread that ended meanwhile
    return total


def scrape(url, count, gzip, new_connection, pid):
    u = urllib.parse.urlsplit(url)
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    conn = None
    times, cpu, size, encoding = [], [], 0, "identity"
    for _ in range(count):
        if conn is None or new_connection:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
            conn.connect()
        c0 = server_cpu_ns(pid) if pid else 0
        t0 = time.perf_counter_ns()
        conn.request("GET", u.path or "/", headers=headers)
        r = conn.getresponse()
        body = r.read()
        t1 = time.perf_counter_ns()
        if pid:
            cpu.append((server_cpu_ns(pid) - c0) / 1e6)
        if r.status != 200:
            sys.exit(f"mwclient: {url} answered {r.status}")
        encoding = r.getheader("Content-Encoding", "identity")
        if gzip and encoding != "gzip":
            sys.exit(f"mwclient: asked for gzip, got Content-Encoding {encoding}")
        size = len(body)
        times.append((t1 - t0) / 1e6)
    conn.close()
    times.sort()
    line = (
        f"scrapes={count} p50_ms={percentile(times, 50):.3f} p90_ms={percentile(times, 90):.3f} "
        f"p99_ms={percentile(times, 99):.3f} max_ms={times[-1]:.3f} bytes={size} "
        f"encoding={encoding}"
    )
    if pid:
        cpu.sort()
        line += (
            f" cpu_p50_ms={percentile(cpu, 50):.3f} cpu_p90_ms={percentile(cpu, 90):.3f} "
            f"cpu_p99_ms={percentile(cpu, 99):.3f} cpu_max_ms={cpu[-1]:.3f}"
        )
    print(line)


def process_cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def ready(url, command):
    u = urllib.parse.urlsplit(url)
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = None
    try:
        deadline = t0 + 60
        while time.perf_counter() < deadline:
            if proc.poll() is not None:
                sys.exit(f"mwclient: {command[0]} exited with {proc.returncode} before ready")
            try:
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=1)
                conn.request("GET", u.path)
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    elapsed = time.perf_counter() - t0
                    cpu = process_cpu_s(proc.pid)
                    break
            except OSError:
                pass
            time.sleep(0.001)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    if elapsed is None:
        sys.exit("mwclient: not ready within 60 s")
    print(f"ready_s={elapsed:.4f} cpu_s={cpu:.4f}")


def main(argv):
    if len(argv) >= 2 and argv[0] == "scrape":
        args = argv[2:]
        count = 200
        if "--count" in args:
            count = int(args[args.index("--count") + 1])
        pid = int(args[args.index("--pid") + 1]) if "--pid" in args else 0
        scrape(argv[1], count, "--gzip" in args, "--new-connection" in args, pid)
    elif len(argv) >= 4 and argv[0] == "ready" and argv[2] == "--":
        ready(argv[1], argv[3:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

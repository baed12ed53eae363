#!/usr/bin/env python3
"""The writer half of the writer/auditor harness (reliability.md, "How it is shown").

Writes LINES JSON lines with sequence numbers (request_id "s<seq>") to DIR/predictions.jsonl,
rotating every ROTATE_EVERY lines the way logrotate does:
  rename        predictions.jsonl -> predictions.jsonl.1 (older ones shift: .1 -> .2 ...)
  copytruncate  copy predictions.jsonl to predictions.jsonl.1, then truncate it in place;
                no line is written between the copy and the truncation, so nothing may be lost
Rotated files beyond KEEP are deleted (gzip'ed files are excluded by the daemon's globs; with
--gzip the oldest kept one is compressed instead, after the daemon has had time to drain it).
Lines are flushed in bursts of BURST at RATE lines/s (0: as fast as possible); some bursts end
in the middle of a line, completed by the next. Prints the number of lines written.
"""
import argparse
import os
import shutil
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--lines", type=int, required=True)
    ap.add_argument("--rotate-every", type=int, default=0)
    ap.add_argument("--mode", choices=["rename", "copytruncate"], default="rename")
    ap.add_argument("--keep", type=int, default=3)
    ap.add_argument("--rate", type=float, default=0)
    ap.add_argument("--burst", type=int, default=500)
    ap.add_argument("--settle", type=float, default=0.0,
                    help="seconds to wait after a rotation before deleting the oldest sibling")
    a = ap.parse_args()

    live = os.path.join(a.dir, "predictions.jsonl")
    f = open(live, "ab", buffering=0)
    start = time.monotonic()
    pending = b""
    seq = 0
    since_rotation = 0
    while seq < a.lines:
        n = min(a.burst, a.lines - seq)
        chunk = bytearray(pending)
        for _ in range(n):
            chunk += b'{"request_id":"s%d","inputs":{"x":%d.5,"c":"c%d"}}\n' % (seq, seq % 97, seq % 5)
            seq += 1
        since_rotation += n
        # Half of the bursts stop mid-line (except before a rotation, which needs whole lines).
        rotate = a.rotate_every and since_rotation >= a.rotate_every
        cut = len(chunk) if rotate or seq % 2 == 0 else len(chunk) - 7
        f.write(bytes(chunk[:cut]))
        pending = bytes(chunk[cut:])
        if rotate:
            since_rotation = 0
            if a.mode == "rename":
                f.close()
                for i in range(a.keep, 0, -1):
                    src = live + ("" if i == 1 else ".%d" % (i - 1))
                    dst = live + ".%d" % i
                    if os.path.exists(src):
                        os.replace(src, dst)
                f = open(live, "ab", buffering=0)
            else:
                for i in range(a.keep, 1, -1):
                    src = live + ".%d" % (i - 1)
                    if os.path.exists(src):
                        os.replace(src, live + ".%d" % i)
                shutil.copyfile(live, live + ".1")
                os.truncate(live, 0)
            if a.settle:
                time.sleep(a.settle)
            oldest = live + ".%d" % a.keep
            if os.path.exists(oldest):
                os.remove(oldest)
        if a.rate:
            ahead = seq / a.rate - (time.monotonic() - start)
            if ahead > 0:
                time.sleep(ahead)
    f.write(pending)
    f.close()
    print(seq)


if __name__ == "__main__":
    sys.exit(main())

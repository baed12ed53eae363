#!/usr/bin/env python3
"""Seeded flat rows (reference.format: rows) for check_shift_test.sh; standard library only.

  shift_rows.py OUT_DIR FIRST_SEED COUNT [--shift] [--rows N]

For each seed s in FIRST_SEED .. FIRST_SEED+COUNT-1 writes OUT_DIR/ref_<s>.jsonl and
OUT_DIR/cur_<s>.jsonl, N rows each (default 5000), both from random.Random(s) (the reference
first, then the current sample), so a seed always gives the same files.

Fields: normal ~ N(50, 10); lognormal ~ LogNormal(3, 0.5); uniform ~ U(0, 100);
count ~ Poisson(3); country (6 categories); plan (3 categories); output score ~ Beta(2, 5).
--shift changes only the current sample: normal and lognormal move by +0.5 of their
distribution's standard deviation, and country takes the new category "XX" in 20 % of rows.
"""
import bisect
import itertools
import math
import os
import random
import sys

COUNTRIES = ["US", "GB", "DE", "FR", "IN", "BR"]
COUNTRY_CUM = list(itertools.accumulate([0.30, 0.25, 0.15, 0.12, 0.10, 0.08]))
PLANS = ["basic", "plus", "pro"]
PLAN_CUM = list(itertools.accumulate([0.6, 0.3, 0.1]))
NORMAL_SD = 10.0
LOGNORMAL_SD = math.exp(3 + 0.5**2 / 2) * math.sqrt(math.exp(0.5**2) - 1)
POISSON_L = math.exp(-3.0)


def poisson3(rnd):
    """Knuth's method for Poisson(3)."""
    k, p = 0, rnd.random()
    while p > POISSON_L:
        k += 1
        p *= rnd.random()
    return k


def pick(rnd, names, cum):
    return names[min(bisect.bisect(cum, rnd.random() * cum[-1]), len(names) - 1)]


def write_rows(path, rnd, rows, shift):
    d_normal = 0.5 * NORMAL_SD if shift else 0.0
    d_lognormal = 0.5 * LOGNORMAL_SD if shift else 0.0
    out = []
    for _ in range(rows):
        if shift and rnd.random() < 0.2:
            country = "XX"
        else:
            country = pick(rnd, COUNTRIES, COUNTRY_CUM)
        out.append(
            '{"normal":%.6f,"lognormal":%.6f,"uniform":%.6f,"count":%d,'
            '"country":"%s","plan":"%s","score":%.6f}\n'
            % (rnd.gauss(50.0, NORMAL_SD) + d_normal,
               rnd.lognormvariate(3.0, 0.5) + d_lognormal,
               rnd.uniform(0.0, 100.0), poisson3(rnd), country,
               pick(rnd, PLANS, PLAN_CUM), rnd.betavariate(2.0, 5.0)))
    with open(path, "w") as f:
        f.writelines(out)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    shift = "--shift" in argv
    rows = 5000
    if "--rows" in argv:
        rows = int(argv[argv.index("--rows") + 1])
        args.remove(str(rows))
    if len(args) != 3:
        sys.exit(__doc__)
    out_dir, first, count = args[0], int(args[1]), int(args[2])
    for seed in range(first, first + count):
        rnd = random.Random(seed)
        write_rows(os.path.join(out_dir, "ref_%d.jsonl" % seed), rnd, rows, False)
        write_rows(os.path.join(out_dir, "cur_%d.jsonl" % seed), rnd, rows, shift)


if __name__ == "__main__":
    main(sys.argv[1:])

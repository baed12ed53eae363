#!/usr/bin/python3
"""compare.py [--quality] SHAPED.prom FLAT.prom: the statistics two --one-shot expositions share
must agree. --quality compares the ground-truth families instead (model quality, labelled rows,
label counters, delay histogram, label drift) within 1e-9: in-line labels or a shaped label log
against a flat label log joined by id.
Compared: every series of the drift, data-quality, prediction, latency and window families
(values within 1e-6, relative or absolute, and latency sums within 1e-5: latencies derived from two
timestamps carry the rounding of epoch seconds, once per record). Source families differ by design (lines vs records) and are skipped."""
import re
import sys

FAMILIES = re.compile(
    r"^modelwatch_(feature_|output_|dataset_|predictions_total|prediction_latency|window_records"
    r"|duplicate_request_ids_total|records_outside_windows_total|model_info)")


QUALITY = re.compile(
    r"^modelwatch_(model_quality|window_labeled_records|labels_total|labels_joined_total"
    r"|labels_unmatched_total|label_delay_seconds|label_drift_)")


def load(path, families=FAMILIES):
    out = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not families.match(line):
                continue
            series, value = line.rsplit(" ", 1)
            out[series] = float(value)
    return out


def quality(a_path, b_path):
    a, b = load(a_path, QUALITY), load(b_path, QUALITY)
    problems = []
    for k in sorted(set(a) | set(b)):
        if k not in a or k not in b:
            problems.append(f"only in {'flat' if k in b else 'shaped'}: {k}")
        elif abs(a[k] - b[k]) > 1e-9 * max(1.0, abs(a[k]), abs(b[k])):
            problems.append(f"differs: {k}: shaped {a[k]} flat {b[k]}")
    if not any(k.startswith("modelwatch_model_quality{") for k in a):
        problems.append("no modelwatch_model_quality series: nothing compared")
    for p in problems:
        print(p)
    print(f"{len(a)} quality series compared, {len(problems)} problems")
    return 1 if problems else 0


def main():
    if sys.argv[1] == "--quality":
        return quality(sys.argv[2], sys.argv[3])
    a, b = load(sys.argv[1]), load(sys.argv[2])
    problems = []
    for k in sorted(set(a) | set(b)):
        if k not in a or k not in b:
            problems.append(f"only in {'flat' if k in b else 'shaped'}: {k}")
        # A latency sum adds one epoch-seconds rounding (2.4e-7 s at 2024) per paired record.
        elif abs(a[k] - b[k]) > (1e-5 if "latency_seconds_sum" in k else 1e-6) * max(
                1.0, abs(a[k]), abs(b[k])):
            problems.append(f"differs: {k}: shaped {a[k]} flat {b[k]}")
    if len(a) < 20:
        problems.append(f"too few series compared ({len(a)})")
    for p in problems:
        print(p)
    print(f"{len(a)} series compared, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

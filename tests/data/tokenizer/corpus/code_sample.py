#!/usr/bin/env python3
"""Summarise a CSV of request latencies: p50/p95/p99 per endpoint."""
from __future__ import annotations

import csv
import statistics
import sys
from collections import defaultdict


def percentile(values: list[float], q: float) -> float:
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main(path: str) -> int:
    by_endpoint: dict[str, list[float]] = defaultdict(list)
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_endpoint[row["endpoint"]].append(float(row["ms"]))
    for endpoint, values in sorted(by_endpoint.items()):
        print(f"{endpoint:<30} n={len(values):>6} "
              f"p50={percentile(values, 0.50):8.2f} "
              f"p95={percentile(values, 0.95):8.2f} "
              f"p99={percentile(values, 0.99):8.2f} "
              f"mean={statistics.fmean(values):8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "latencies.csv"))

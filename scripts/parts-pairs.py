#!/usr/bin/env python3
"""Per-part speed ratios of two rows of one results.json, round by round, split by process speed.

    scripts/parts-pairs.py RESULTS.json A/B [A/B ...]

For each pair of rungs A and B and each part (json-corpus: each file), prints B's time / A's
time (> 1: A is faster) for every round both ran, as the median and min-max over all rounds and
over the rounds where both processes ran in the same speed state.

Why the split: on some virtual machines a process's speed is set by the process, not by the rung
(seen here: one rung's whole json-corpus iteration 3.6-7.9 ms over 122 rounds, mostly in a fast
and a slow cluster), and a round's ratio of two processes then mixes whichever states they drew. A round is "fast" for a row when
its whole iteration (the minimum of the round's samples) is below the midpoint of that row's
fastest and slowest rounds; pairs in the same state compare like with like. The card's own
paired speedups use all rounds. This is a reading aid for a person, not a test.
"""
import json
import signal
import statistics
import sys


def rounds(row, samples):
    k = row["rounds"]["per_round"]
    return [min(samples[i:i + k]) for i in range(0, len(samples), k)]


def fast_flags(times):
    mid = (min(times) + max(times)) / 2
    return [t < mid for t in times]


def summary(v):
    if not v:
        return "-"
    return f"{statistics.median(v):.3f} [{min(v):.3f}-{max(v):.3f}] n={len(v)}"


def main(argv):
    if len(argv) < 3 or any("/" not in p for p in argv[2:]):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        with open(argv[1]) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"parts-pairs: {argv[1]}: {e}", file=sys.stderr)
        return 1
    rows = {r["rung"]: r for r in doc.get("rows", []) if r.get("status") == "ok"}
    rc = 0
    for pair in argv[2:]:
        a, b = pair.split("/", 1)
        if a not in rows or b not in rows:
            print(f"parts-pairs: {pair}: no ok row for {a if a not in rows else b}", file=sys.stderr)
            rc = 1
            continue
        ra, rb = rows[a], rows[b]
        fa = fast_flags(rounds(ra, ra["samples_ns"]))
        fb = fast_flags(rounds(rb, rb["samples_ns"]))
        for part in ra.get("parts") or []:
            other = [p for p in rb.get("parts") or [] if p["name"] == part["name"]]
            if not other:
                continue
            ta, tb = rounds(ra, part["samples_ns"]), rounds(rb, other[0]["samples_ns"])
            r = [y / x for x, y in zip(ta, tb)]
            both_fast = [q for q, x, y in zip(r, fa, fb) if x and y]
            both_slow = [q for q, x, y in zip(r, fa, fb) if not x and not y]
            print(f"{a} vs {b}  {part['name']:20s} all {summary(r)} | both fast {summary(both_fast)}"
                  f" | both slow {summary(both_slow)}")
    return rc


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends it quietly, as it does cat
    sys.exit(main(sys.argv))

"""The rung protocol for every Python-hosted rung.

A rung program defines one function per problem, ``solve(n) -> str`` returning the canonical
output (``bytes`` for binary output), and calls ``ladder_rung.main(SOLVERS)``. This module runs
LADDER_WARMUP + LADDER_REPEAT iterations, writes ``ns <int>`` per counted iteration (and
``warmup_ns <int>`` per warm-up iteration, ``threads <n>`` once) to LADDER_TIMING_FD, then prints
the last iteration's output exactly once. A solver may instead return a function of no arguments
that gives the output: it is called once, after the last iteration and outside the timing (for
problems whose timed work is only part of what proves the answer, such as json-parse). The
previous iteration's result is released before the clock starts. A problem with an input file
(``prepare`` in its problem.json) gets its bytes from ``input_bytes()``.
"""
import os
import sys
import time


def _env_int(name, default, minimum):
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not an integer")
    if value < minimum:
        raise SystemExit(f"{name}={raw!r} must be >= {minimum}")
    return value


_input = []  # the bytes of $LADDER_INPUT once read


def input_bytes():
    """The bytes of the problem's input file ($LADDER_INPUT), read on the first call only, so that
    every later iteration times the work from bytes in memory to output (as the cpython rung does)."""
    if not _input:
        path = os.environ.get("LADDER_INPUT", "")
        if not path:
            raise SystemExit("LADDER_INPUT is not set (the problem's input file)")
        try:
            with open(path, "rb") as f:
                _input.append(f.read())
        except OSError as e:
            raise SystemExit(f"cannot read LADDER_INPUT {path}: {e.strerror}")
    return _input[0]


def main(solvers, threads=1):
    if len(sys.argv) != 3:
        raise SystemExit(f"usage: {sys.argv[0]} PROBLEM N")
    problem, raw_n = sys.argv[1], sys.argv[2]
    solve = solvers.get(problem)
    if solve is None:
        raise SystemExit(f"problem {problem!r} is not implemented by this rung")
    try:
        n = int(raw_n)
    except ValueError:
        raise SystemExit(f"N must be an integer, not {raw_n!r}")
    warmup = _env_int("LADDER_WARMUP", 0, 0)
    repeat = _env_int("LADDER_REPEAT", 1, 1)
    fd = _env_int("LADDER_TIMING_FD", -1, 0)
    timing = os.fdopen(fd, "w", buffering=1) if fd >= 0 else None
    if timing:
        timing.write(f"threads {threads}\n")
    out = None
    for i in range(warmup + repeat):
        out = None  # freeing the last result (a parsed document, say) is not this iteration's work
        t0 = time.perf_counter_ns()
        out = solve(n)
        t1 = time.perf_counter_ns()
        if timing:
            timing.write(f"{'warmup_ns' if i < warmup else 'ns'} {t1 - t0}\n")
    if timing:
        timing.close()
    if callable(out):
        out = out()
    if isinstance(out, str):
        out = out.encode()
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()

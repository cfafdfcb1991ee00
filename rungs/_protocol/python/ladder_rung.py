"""The rung protocol for every Python-hosted rung.

A rung program defines one function per problem, ``solve(n) -> str`` returning the canonical
output (``bytes`` for binary output), and calls ``ladder_rung.main(SOLVERS)``. This module runs
LADDER_WARMUP + LADDER_REPEAT iterations, writes ``ns <int>`` per counted iteration (and
``warmup_ns <int>`` per warm-up iteration, ``threads <n>`` once, where report_bytes() was
called, ``bytes <n>``, and, for each part() the iteration timed, ``part <name> <bytes> <ns>`` before
its own line) to LADDER_TIMING_FD, then prints
the last iteration's output exactly once. A solver may instead return a function of no arguments
that gives the output: it is called once, after the last iteration and outside the timing (for
problems whose timed work is only part of what proves the answer, such as json-parse). The
previous iteration's result is released before the clock starts. A problem with an input file
(``prepare`` in its problem.json) gets its bytes from ``input_bytes()``. A solver with a
``ladder_prepare`` attribute has it called once with N before the first iteration, outside every
timing: ``from_dicts()`` parses pipeline-dicts' input there, so its timed region starts from
Python dicts.

Also here, so that no rung keeps its own copy: ``solvers()`` (a module's solve functions by the
protocol's names), ``compiled_module()`` (import a rung's build product, refusing a source
fallback) and n-body's initial conditions.
"""
import importlib
import math
import os
import sys
import time

PROBLEMS = ("nbody", "spectral-norm", "fannkuch-redux", "mandelbrot", "binary-trees", "pipeline", "pipeline-dicts",
            "json-parse", "json-corpus")

# n-body: x, y, z, vx, vy, vz (per day), mass (in solar masses) of the sun and the four gas giants
SOLAR_MASS = 4 * math.pi * math.pi
DAYS_PER_YEAR = 365.24
PLANETS = [
    (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0),  # sun
    (4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
     9.54791938424326609e-04),  # jupiter
    (8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
     2.85885980666130812e-04),  # saturn
    (1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
     4.36624404335156298e-05),  # uranus
    (1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
     5.15138902046611451e-05),  # neptune
]


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
_work_bytes = []  # report_bytes()'s count
_parts = []  # the current iteration's part() records: (name, bytes, ns)


def report_bytes(n):
    """The input bytes one iteration reads, for problems measured in bytes per second: written as
    ``bytes <n>`` to the timing descriptor. Call it from a solver's ladder_prepare."""
    _work_bytes[:] = [int(n)]


def part(name, nbytes, ns):
    """Records a named part of the current iteration that took ns nanoseconds (time.perf_counter_ns
    around it, inside the iteration): written as ``part <name> <nbytes> <ns>`` after the iteration,
    before its own line. name is of [A-Za-z0-9._-] and under 48 bytes; nbytes 0 when the part is not
    measured in bytes."""
    _parts.append((name, int(nbytes), int(ns)))


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


def solvers(source, **named):
    """The solve functions that a module (or a dict of names) defines under the protocol's names:
    problem "spectral-norm" is the function spectral_norm. Keywords add or replace entries by the
    same names (spectral_norm=...)."""
    names = vars(source) if not isinstance(source, dict) else source
    names = {**names, **named}
    return {p: names[p.replace("-", "_")] for p in PROBLEMS if callable(names.get(p.replace("-", "_")))}


def from_dicts(summarize):
    """The pipeline-dicts solver from a function of the parsed events: json.loads of the input
    runs once, in ladder_prepare (untimed), and every iteration summarizes the same dicts."""
    import json
    parsed = []

    def prepare(n):
        parsed[:] = [json.loads(input_bytes())]

    def solve(n):
        return summarize(parsed[0])
    solve.ladder_prepare = prepare
    return solve


def on_input(solve):
    """A solver for a problem with an input file from a function of the input's bytes."""
    return lambda n: solve(input_bytes())


def compiled_module(name, subdir=""):
    """Imports the extension module `name` that the rung's build put in LADDER_BUILD_DIR (or its
    subdir); exits if Python found something else first, such as a source file of that name."""
    sys.path.insert(0, os.path.join(os.environ.get("LADDER_BUILD_DIR", "."), subdir))
    module = importlib.import_module(name)
    # a maturin wheel is a package whose __init__.py re-exports its compiled module of the same name
    native = getattr(module, name, module)
    if not getattr(native, "__file__", "").endswith(".so"):
        raise SystemExit(f"{name} was imported from {module.__file__}, not the compiled module")
    return module


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
    prepare = getattr(solve, "ladder_prepare", None)
    if prepare is not None:
        prepare(n)
    if timing and _work_bytes:
        timing.write(f"bytes {_work_bytes[0]}\n")
    out = None
    for i in range(warmup + repeat):
        out = None  # freeing the last result (a parsed document, say) is not this iteration's work
        _parts.clear()
        t0 = time.perf_counter_ns()
        out = solve(n)
        t1 = time.perf_counter_ns()
        if timing:
            for name, nbytes, ns in _parts:
                timing.write(f"part {name} {nbytes} {ns}\n")
            timing.write(f"{'warmup_ns' if i < warmup else 'ns'} {t1 - t0}\n")
    if timing:
        timing.close()
    if callable(out):
        out = out()
    if isinstance(out, str):
        out = out.encode()
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()

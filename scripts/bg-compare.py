#!/usr/bin/env python3
"""Side by side: the fastest Benchmarks Game C programs against ladder's c and c-mt rungs.

    scripts/bg-compare.py [options] BG_DIR

BG_DIR holds the Benchmarks Game programs under their upstream names (nbody.gcc-9.gcc,
spectralnorm.gcc-2.gcc, fannkuchredux.gcc-6.gcc, mandelbrot.gcc-6.gcc, binarytrees.gcc-3.gcc;
--program PROBLEM=FILE picks another). They are not shipped with ladder (their licence is not
ladder's): fetch them from https://salsa.debian.org/benchmarksgame-team/benchmarksgame.

Each program is built as the Benchmarks Game builds it (gcc -O3 -march=native and its own
flags: -fopenmp, -pthread, -lapr-1), the C rung with rungs/c/build.sh. Then, in interleaved
rounds, every row runs the BG program and the C rung at each SIMD level (LADDER_SIMD), whole
processes timed by their wall clock, every output checked against problems/*/ref. One-thread
rows are pinned to one CPU (taskset) and give OpenMP one thread; the others get every CPU.
--clock cpu times user + sys CPU instead of the wall clock, for a machine shared with others.
--bg-flags adds flags to the BG builds (-mno-avx512f: what an AVX2 CPU's -march=native gives).
Prints, per level, the medians with their spread (min-max) and BG / ladder (> 1: ladder is
faster). This is a measurement for a person to read, not a test: it takes minutes at the BG
sizes, and on a busy machine the spread says how far to trust it.
"""
import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

APR = ["$(pkg-config --cflags --libs apr-1)"]

# problem: (BG program, its build flags besides -O3 -march=native, BG size, has threads)
PROBLEMS = {
    "nbody": ("nbody.gcc-9.gcc", ["-lm"], 50000000, False),
    "spectral-norm": ("spectralnorm.gcc-2.gcc", ["-fopenmp", "-lm"], 5500, True),
    "fannkuch-redux": ("fannkuchredux.gcc-6.gcc", ["-pthread", "-fopenmp"], 12, True),
    # its header's flags: without -ffast-math gcc's default FMA contraction changes pixels
    "mandelbrot": ("mandelbrot.gcc-6.gcc", ["-ffast-math", "-fno-finite-math-only", "-mfpmath=sse",
                                            "-msse3", "-fopenmp"], 16000, True),
    "binary-trees": ("binarytrees.gcc-3.gcc", ["-fopenmp"] + APR, 21, True),
}
LEVELS = ["scalar", "sse2", "avx2", "avx512"]


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, **kw)


def reference(problem, n):
    """(kind, expected): 'md5' of the output for mandelbrot, else the output text."""
    ref = os.path.join(ROOT, "problems", problem, "ref")
    md5 = os.path.join(ref, f"{n}.md5")
    if os.path.exists(md5):
        return "md5", open(md5).read().split()[0]
    txt = os.path.join(ref, f"{n}.txt")
    if os.path.exists(txt):
        return "text", open(txt, "rb").read()
    return None, None


def matches(ref, out):
    kind, want = ref
    if kind is None:
        return True  # no reference at this size: nothing to check against
    if kind == "md5":
        return hashlib.md5(out).hexdigest() == want
    return out == want


def cpu_levels(ladder):
    """The levels this CPU runs: the C rung refuses the others."""
    ok = []
    for lv in LEVELS:
        r = subprocess.run([ladder, "nbody", "1"], env=dict(os.environ, LADDER_SIMD=lv),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode == 0:
            ok.append(lv)
    return ok


def run(cmd, env, clock):
    """(seconds, stdout): wall clock, or user + sys CPU time of the process (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, env=env, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {err.read().decode()[-300:]}")
        return (wall if clock == "wall" else ru.ru_utime + ru.ru_stime), out.read()


def fmt(xs):
    return f"{statistics.median(xs):.3f} s [{min(xs):.3f}-{max(xs):.3f}]"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bg_dir", help="folder of Benchmarks Game programs")
    ap.add_argument("-r", "--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    ap.add_argument("-p", "--problem", action="append", choices=sorted(PROBLEMS),
                    help="only this problem (repeatable; default all whose program is in BG_DIR)")
    ap.add_argument("-l", "--level", action="append", choices=LEVELS,
                    help="only this SIMD level (repeatable; default every level the CPU has)")
    ap.add_argument("-n", "--size", action="append", default=[], metavar="PROBLEM=N",
                    help="run PROBLEM at N instead of the BG size (checked where a reference exists)")
    ap.add_argument("--program", action="append", default=[], metavar="PROBLEM=FILE",
                    help="use FILE in BG_DIR for PROBLEM")
    ap.add_argument("-t", "--threads", choices=["1", "all", "both"], default="both",
                    help="one-thread rows, all-CPU rows or both (default)")
    ap.add_argument("--cc", default="gcc", help="compiler for both sides (default gcc)")
    ap.add_argument("--bg-flags", default="", metavar="FLAGS",
                    help="more flags for the BG programs, e.g. -mno-avx512f: on an AVX-512 machine, the "
                         "code gcc -march=native makes on a CPU without AVX-512, for the avx2 rows")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="wall time (default), or user + sys CPU time: steadier on a shared machine for "
                         "one-thread rows; for all-CPU rows it is the total work, not the elapsed time")
    args = ap.parse_args()

    sizes = {}
    for s in args.size:
        k, _, v = s.partition("=")
        if k not in PROBLEMS or not v.isdigit():
            ap.error(f"--size {s}: want PROBLEM=N")
        sizes[k] = int(v)
    programs = {k: PROBLEMS[k][0] for k in PROBLEMS}
    for s in args.program:
        k, _, v = s.partition("=")
        if k not in PROBLEMS or not v:
            ap.error(f"--program {s}: want PROBLEM=FILE")
        programs[k] = v

    work = tempfile.mkdtemp(prefix="bg-compare.")
    try:
        ladder = os.path.join(work, "ladder-c")
        sh(f"sh {ROOT}/rungs/c/build.sh '{args.cc}' {ladder}")
        levels = [lv for lv in (args.level or LEVELS) if lv in cpu_levels(ladder)]
        if not levels:
            sys.exit("none of the requested SIMD levels runs on this CPU")

        rows = []  # (problem, n, threads, bg binary)
        for prob in args.problem or list(PROBLEMS):
            src = os.path.join(args.bg_dir, programs[prob])
            if not os.path.exists(src):
                print(f"skipped {prob}: no {src}", file=sys.stderr)
                continue
            _, flags, n, threaded = PROBLEMS[prob]
            n = sizes.get(prob, n)
            exe = os.path.join(work, programs[prob] + ".run")
            sh(f"{args.cc} -pipe -O3 -fomit-frame-pointer -march=native -x c {src} -x none "
               f"-o {exe} {' '.join(flags)} {args.bg_flags}")
            for t in (["1"] if args.threads != "all" else []) + (["all"] if threaded and args.threads != "1" else []):
                rows.append((prob, n, t, exe))
        if not rows:
            sys.exit("no Benchmarks Game program found in " + args.bg_dir)

        ncpu = os.cpu_count() or 1
        pin = shutil.which("taskset")
        times = {}  # (row, side) -> [s]
        for rnd in range(args.rounds):
            for row in rows:
                prob, n, t, exe = row
                env = dict(os.environ, OMP_NUM_THREADS="1" if t == "1" else str(ncpu),
                           LADDER_THREADS="1" if t == "1" else "0")
                pre = [pin, "-c", "0"] if t == "1" and pin else []
                sides = [("bg", pre + [exe, str(n)], env)]
                sides += [(lv, pre + [ladder, prob, str(n)], dict(env, LADDER_SIMD=lv)) for lv in levels]
                if rnd % 2:
                    sides.reverse()  # neither side always runs first
                ref = reference(prob, n)
                for side, cmd, e in sides:
                    wall, out = run(cmd, e, args.clock)
                    if not matches(ref, out):
                        sys.exit(f"{' '.join(cmd)}: output differs from problems/{prob}/ref/{n}")
                    times.setdefault((row, side), []).append(wall)
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr)

        for lv in levels:
            clock = "wall time" if args.clock == "wall" else "user + sys CPU time"
            print(f"\n### LADDER_SIMD={lv}: {args.rounds} interleaved rounds, {clock}, median [min-max]\n")
            print("| problem (size) | threads | BG program | BG | ladder | BG ÷ ladder |")
            print("|---|---|---|---|---|---|")
            for row in rows:
                prob, n, t, exe = row
                bg, la = times[(row, "bg")], times[(row, lv)]
                ratio = statistics.median(bg) / statistics.median(la)
                tt = "1" if t == "1" else f"all ({ncpu})"
                print(f"| {prob} {n} | {tt} | {os.path.basename(exe)[:-4]} | {fmt(bg)} | {fmt(la)} | "
                      f"**{ratio:.2f}** |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

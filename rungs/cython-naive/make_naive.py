"""Writes the cython-naive rung's source: rungs/cython/ladder_cython.pyx with the experiments' three
silent landmines put back, each named in a comment where it lands. Everything else is the cython
rung's code, byte for byte, so the two rows differ by exactly these three things:

  1. `**` on C doubles instead of libc's sqrt: n-body's `d2 * sqrt(d2)` becomes `d2 ** 1.5` and the
     energy's `sqrt(...)` `(...) ** 0.5` (Cython keeps Python's power semantics: a checked pow()).
  2. division without cdivision: every `/`, `//` and `%` on C numbers checks for a zero divisor
     and fixes up the sign Python's way (spectral-norm's A(i, j) in the innermost loop).
  3. bounds and wraparound checks on: every indexing of a buffer tests the index against its
     length and for a negative value.

    python make_naive.py SOURCE.pyx OUT.pyx

A substitution that no longer matches fails the build: the naive rung must not silently become
the cython rung.
"""
import sys

src, out = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8").read()

SUBSTITUTIONS = [
    # landmine 3 (bounds/wraparound) and 2 (cdivision): the module directives
    ("# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False",
     "# cython: language_level=3, boundscheck=True, wraparound=True, cdivision=False, initializedcheck=True\n"
     "# LANDMINE 2: cdivision off (Cython's default): a zero-divisor check and Python's sign rules on every / // %\n"
     "# LANDMINE 3: boundscheck and wraparound on (Cython's defaults): every buffer index is checked"),
    # landmine 1: ** instead of sqrt
    ("e -= m[i] * m[j] / sqrt(dx * dx + dy * dy + dz * dz)",
     "e -= m[i] * m[j] / (dx * dx + dy * dy + dz * dz) ** 0.5  # LANDMINE 1: ** 0.5, not sqrt"),
    ("mag = DT / (d2 * sqrt(d2))  # not d2 ** 1.5: see the module docstring",
     "mag = DT / d2 ** 1.5  # LANDMINE 1: ** 1.5, as the Python source has it, not d2 * sqrt(d2)"),
    ('return f"{sqrt(vbv / vv):.9f}\\n"',
     'return f"{(vbv / vv) ** 0.5:.9f}\\n"  # LANDMINE 1: ** 0.5, not sqrt'),
]
for old, new in SUBSTITUTIONS:
    if text.count(old) != 1:
        sys.exit(f"make_naive.py: {old!r} occurs {text.count(old)} times in {src}, not once: update the substitutions")
    text = text.replace(old, new)
open(out, "w", encoding="utf-8").write(text)

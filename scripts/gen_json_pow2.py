#!/usr/bin/env python3
"""Writes tests/unit/data/json_pow2_shortest.txt: for every power of two a double holds
(2^-1074 .. 2^1023, subnormals included), Python's repr -- the shortest decimal that reads back to
it, nearest to it among those -- as `E DIGITS EXP10`, meaning 2^E is read back from D.IGITS x 10^EXP10.

Powers of two are where a shortest printer most often goes wrong: the gap to the next double below
is half the gap above, so the nearest decimal of a given length may miss while one above reads back.
Run: python3 scripts/gen_json_pow2.py > tests/unit/data/json_pow2_shortest.txt"""
import math
from decimal import Decimal

print("# 2^E = D.IGITS x 10^EXP10, from Python's repr (scripts/gen_json_pow2.py)")
for e in range(-1074, 1024):
    x = math.ldexp(1.0, e)
    sign, digits, exp = Decimal(repr(x)).normalize().as_tuple()
    d = "".join(map(str, digits))
    print(e, d, exp + len(d) - 1)

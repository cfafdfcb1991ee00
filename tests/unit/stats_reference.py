"""Reference values for tests/unit/test_stats.c, computed independently of ladder's C code:
SciPy for the median interval (scipy.stats.quantile_test), the Mann-Whitney p-values
(scipy.stats.mannwhitneyu, exact and asymptotic) and binomial levels; brute force (every
arrangement of the pooled ranks, itertools) for the exact U distribution behind the
Hodges-Lehmann/Moses interval of a ratio. Run with a Python that has SciPy:

    python3 tests/unit/stats_reference.py    # prints the C tables pasted into test_stats.c
"""
import itertools
import math

import numpy as np
import scipy.stats as st

ALPHA2 = 0.025


def median_ci(x):
    x = sorted(x)
    n = len(x)
    r = st.quantile_test(x, q=float(np.median(x)), p=0.5).confidence_interval(0.95)
    if n < 6:  # SciPy: not reachable (nan); ladder reports [min, max] at its own level
        assert math.isnan(r.low)
        return float(np.median(x)), float(x[0]), float(x[-1]), float(1 - 2 * st.binom.cdf(0, n, 0.5))
    k = int(np.searchsorted(x, r.low)) + 1  # 1-based order statistic SciPy picked
    return float(np.median(x)), float(r.low), float(r.high), float(1 - 2 * st.binom.cdf(k - 1, n, 0.5))


def u_counts_brute(n, m):
    """How many arrangements of n x-ranks among n+m give each U (pairs x > y)."""
    counts = [0] * (n * m + 1)
    for pos in itertools.combinations(range(n + m), n):
        counts[sum(p - i for i, p in enumerate(pos))] += 1
    return counts


def moses(x, y):
    n, m = len(x), len(y)
    counts = u_counts_brute(n, m)
    total = math.comb(n + m, n)
    k, cdf = 1, counts[0] / total
    while cdf + counts[k] / total <= ALPHA2:
        cdf += counts[k] / total
        k += 1
    d = sorted(math.log(a) - math.log(b) for a in x for b in y)
    return float(np.median(x) / np.median(y)), math.exp(d[k - 1]), math.exp(d[n * m - k]), 1 - 2 * cdf


def arr(v):
    return "{" + ", ".join(repr(float(a)) for a in v) + "}"


rng = np.random.default_rng(12)
median_cases = [[3, 1, 2], [5, 3, 9, 1, 7], [4, 4, 4], [1, 2, 3, 4, 5, 6], [2, 2, 2, 5, 5, 9, 9, 9],
                list(range(1, 21)), list(np.round(rng.lognormal(3, 0.2, 37), 3))]
print("/* median: samples, n, est, lo, hi, level */")
for x in median_cases:
    print(f"{{{arr(x)}, {len(x)}, " + ", ".join(repr(v) for v in median_ci(x)) + "},")

mwu_cases = [([1.1, 2.3, 3.5], [4.2, 5.0, 6.1]), ([10, 12, 11, 14, 13], [12.5, 15, 16, 11.5, 17]),
             ([1, 2, 2, 3, 3], [2, 3, 4, 4, 5]), ([7, 7, 7], [7, 7, 7]),
             ([3.0, 1.0, 2.0], [2.5, 4.0, 0.5, 6.0, 7.0]),
             (list(np.round(rng.normal(100, 5, 60), 4)), list(np.round(rng.normal(103, 5, 55), 4)))]
print("/* mann-whitney: x, nx, y, ny, U of x, p, exact */")
for x, y in mwu_cases:
    ties = len(set(x) | set(y)) < len(x) + len(y)
    method = "asymptotic" if ties or max(len(x), len(y)) > 50 else "exact"
    r = st.mannwhitneyu(x, y, alternative="two-sided", method=method, use_continuity=True)
    print(f"{{{arr(x)}, {len(x)}, {arr(y)}, {len(y)}, {float(r.statistic)!r}, {float(r.pvalue)!r}, "
          f"{'true' if method == 'exact' else 'false'}}},")

print("/* mwu cdf: n, m, u, P(U <= u) by enumeration */")
for n, m, u in [(3, 3, 0), (3, 3, 2), (5, 5, 2), (5, 5, 3), (6, 6, 5), (4, 7, 9), (8, 8, 32)]:
    c = u_counts_brute(n, m)
    print(f"{{{n}, {m}, {u}, {sum(c[:u + 1]) / math.comb(n + m, n)!r}}},")

moses_cases = [([30.0, 31.0, 29.5], [10.0, 10.4, 9.8]), ([100, 103, 98, 101, 99], [100.5, 102, 97, 104, 99.5]),
               ([12, 12, 13, 12, 14, 12], [6, 6, 7, 6, 6, 6.5]),
               (list(np.round(rng.lognormal(4, 0.05, 9), 3)), list(np.round(rng.lognormal(3.9, 0.05, 8), 3)))]
print("/* ratio: x, nx, y, ny, est, lo, hi, level */")
for x, y in moses_cases:
    print(f"{{{arr(x)}, {len(x)}, {arr(y)}, {len(y)}, " + ", ".join(repr(v) for v in moses(x, y)) + "},")

print("/* student t: df, x, cdf(x), quantile(0.975) -- scipy.stats.t */")
for df, x in [(1, 1.5), (2, -0.3), (3, 2.0), (4.7, 1.1), (10, -2.5), (30, 0.7), (1000, 1.96)]:
    print(f"{{{float(df)!r}, {x!r}, {float(st.t.cdf(x, df))!r}, {float(st.t.ppf(0.975, df))!r}}},")

# limma's fitFDist by moments (Smyth 2004), written out with SciPy's digamma/polygamma and a root
# finder instead of limma's Newton iteration
from scipy import optimize, special  # noqa: E402


def prior_fit(var, df):
    var, df = np.array(var, float), np.array(df, float)
    e = np.log(var) - special.digamma(df / 2) + np.log(df / 2)
    evar = e.var(ddof=1) - special.polygamma(1, df / 2).mean()
    if evar <= 0:
        return math.inf, float(np.exp(e.mean()))
    d0 = 2 * optimize.brentq(lambda y: special.polygamma(1, y) - evar, 1e-10, 1e10, xtol=1e-14)
    return float(d0), float(np.exp(e.mean() + special.digamma(d0 / 2) - np.log(d0 / 2)))


prior_cases = [([0.01, 0.002, 0.05, 0.0004, 0.03, 0.008, 0.1, 0.0009], [1, 2, 1, 3, 2, 1, 4, 2]),
               ([0.004, 0.0041, 0.0039], [2, 2, 2]),
               (list(np.round(rng.chisquare(3, 40) / 3 * 0.01, 6)), [3] * 40),
               ([1e-4, 0.2, 3e-3, 0.05, 7e-4, 0.3], [1, 1, 1, 1, 1, 1])]
print("/* prior: var, df, n, prior df (-1: infinite), prior var */")
for v, d in prior_cases:
    d0, s0 = prior_fit(v, d)
    print(f"{{{arr(v)}, {arr(d)}, {len(v)}, {(-1.0 if math.isinf(d0) else d0)!r}, {s0!r}}},")

# Yuen's trimmed mean (20%, none below 5 values) and the variance whose 1/k is its squared standard
# error, from scipy.stats.trim_mean and mstats.winsorize; and Yuen-Welch t from scipy.stats.ttest_ind
from scipy.stats import mstats  # noqa: E402


def trimmed(x):
    x = np.array(x, float)
    n = len(x)
    g = int(np.floor(0.2 * n)) if n >= 5 else 0
    h = n - 2 * g
    w = np.asarray(mstats.winsorize(x, limits=(g / n, g / n))) if g else x
    return float(st.trim_mean(x, g / n)), float((n - 1) * w.var(ddof=1) / (h - 1)), h - 1, h


trim_cases = [[0.1, 0.3, -0.2, 0.05], [1.0, 2.0, 3.0, 4.0, 100.0],
              [0.01, 0.02, 0.0, -0.01, 0.03, 0.02, 5.0, 0.01, -0.02, 0.0], [3, 3, 3, 1, 3, 3, 7, 3],
              list(np.round(rng.normal(0, 0.05, 40), 6))]
print("/* trimmed: x, n, mean, var, df, k */")
for x in trim_cases:
    print(f"{{{arr(x)}, {len(x)}, " + ", ".join(repr(v) for v in trimmed(x)) + "},")
yb = [0.5, 0.4, 0.45, 0.6, 0.5, 0.55, 0.4, 0.5, 0.45, 0.5]
print(f"/* yuen: t of trim_cases[2] against {arr(yb)}: {float(st.ttest_ind(trim_cases[2], yb, trim=0.2, equal_var=False).statistic)!r} */")

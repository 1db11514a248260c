#!/usr/bin/env python3
"""Generate test/math/glibc-table.json: inputs and glibc's libm outputs, bit for bit.

    python3 scripts/glibc-math-table.py            (needs glibc and mpmath)

For each of exp, log, log1p, sin, cos, tanh and pow, 2,000 inputs drawn (fixed seed)
across the ranges the schedules use, and the double glibc returns, obtained by calling
libm.so.6 through ctypes (the same functions CPython's math module and `**` call,
without Python's overflow exceptions). Doubles are written with repr(), which
round-trips exactly through JSON.parse.

Each function also lists `notCorrectlyRounded`: the indices where glibc's result is
not the correctly rounded one, decided with mpmath at 300 bits. test/math/glibc.test.ts
re-proves every one of them with decimal.js and checks that src/math returns glibc's
double everywhere else.
"""
import ctypes
import json
import math
import os
import platform
import random

import mpmath

mpmath.mp.prec = 300
libm = ctypes.CDLL("libm.so.6")
libc = ctypes.CDLL("libc.so.6")
libc.gnu_get_libc_version.restype = ctypes.c_char_p
for name in ("exp", "log", "log1p", "sin", "cos", "tanh"):
    getattr(libm, name).restype = ctypes.c_double
    getattr(libm, name).argtypes = [ctypes.c_double]
libm.pow.restype = ctypes.c_double
libm.pow.argtypes = [ctypes.c_double, ctypes.c_double]

rng = random.Random(20240611)
u = rng.random
N = 2000


def mix(*parts):
    """Concatenate generators given as (count, fn) so that the counts sum to N."""
    out = []
    for count, fn in parts:
        out += [fn() for _ in range(count)]
    assert len(out) == N
    return out


TWO_PI = 2 * math.pi
inputs = {
    "cos": mix(
        (900, lambda: TWO_PI * u()),  # Box–Muller angle
        (600, lambda: math.pi * u()),  # cosine schedule
        (200, lambda: TWO_PI * (1 + 1e-3 * u())),
        (200, lambda: (u() - 0.5) * 2 ** (40 * u())),
        (100, lambda: (u() - 0.5) * 10 ** (300 * u())),
    ),
    "exp": mix(
        (1000, lambda: 40 * u() - 20),
        (500, lambda: 1400 * u() - 700),
        (300, lambda: (u() - 0.5) * 2 ** (-60 * u())),
        (200, lambda: -745 + 40 * u()),
    ),
    "log": mix(
        (800, lambda: 1 + (u() - 0.5) * 2 ** (-50 * u())),
        (700, lambda: 10 * u()),
        (300, lambda: 2 ** (2000 * u() - 1000)),
        (200, lambda: 1e7 * u()),
    ),
    "log1p": mix(
        (1400, lambda: -u()),
        (300, lambda: -(2 ** (-60 * u()))),
        (300, lambda: 2 ** (60 * u() - 30)),
    ),
    "tanh": mix(
        (1500, lambda: 40 * u() - 20),
        (300, lambda: (u() - 0.5) * 2 ** (-30 * u())),
        (200, lambda: 4 * u() - 2),
    ),
}
inputs["sin"] = inputs["cos"]


def pow_inputs():
    cases = []
    for _ in range(500):  # decay_rate ** n
        cases.append((0.05 + 0.95 * u(), float(math.floor(1000 * u()))))
    for _ in range(500):  # t ** k
        cases.append((1e7 * u(), 0.1 + 9.9 * u()))
    for _ in range(500):  # base in (0, 100], exponent in [-1000, 1000]
        cases.append((100 * u(), 2000 * u() - 1000))
    for _ in range(300):  # (1 - x) ** power
        cases.append((1 - u(), 0.5 + 4 * u()))
    for _ in range(200):  # integer exponents, negative bases
        cases.append(((u() - 0.5) * 20, float(math.floor(60 * u()) - 30)))
    return cases


inputs["pow"] = pow_inputs()


def glibc(name, x):
    return libm.pow(*x) if name == "pow" else getattr(libm, name)(x)


def exact(name, x):
    if name == "pow":
        return mpmath.power(mpmath.mpf(x[0]), mpmath.mpf(x[1]))
    return getattr(mpmath, name)(mpmath.mpf(x))


def correctly_rounded(name, x, y):
    """Whether y is the double nearest to the exact result (math.nextafter neighbours)."""
    if math.isinf(y) or math.isnan(y) or y == 0:
        return True  # no such cases in these ranges except exact overflow/underflow
    v = exact(name, x)
    d = abs(v - mpmath.mpf(y))
    return all(d < abs(v - mpmath.mpf(n)) for n in (math.nextafter(y, math.inf), math.nextafter(y, -math.inf)))


def encode(v):
    return v if math.isfinite(v) else repr(v)


table = {
    "generator": "scripts/glibc-math-table.py",
    "glibc": libc.gnu_get_libc_version().decode(),
    "machine": platform.machine(),
    "functions": {},
}
for name, xs in inputs.items():
    rows, bad = [], []
    for i, x in enumerate(xs):
        y = glibc(name, x)
        rows.append([*(x if name == "pow" else [x]), encode(y)])
        if not correctly_rounded(name, x, y):
            bad.append(i)
    table["functions"][name] = {"cases": rows, "notCorrectlyRounded": bad}
    print(f"{name}: {len(rows)} cases, {len(bad)} not correctly rounded")

path = os.path.join(os.path.dirname(__file__), "..", "test", "math", "glibc-table.json")
with open(path, "w") as f:
    json.dump(table, f, separators=(",", ":"))
    f.write("\n")

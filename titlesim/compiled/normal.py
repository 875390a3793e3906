"""A standard normal draw plus a mean, rounded to float32 (a newcomer's ability and
practice record), with the bits of ``np.float32(person_normal(stream, id) + mean)``, in the
arrivals' pass for about half of ndtri's cost.

The normal quantile is a polynomial on each of ``BINS`` bins of the uniform: its Taylor
series of degree ``DEGREE`` around the bin's middle, whose error is bounded by the next
derivative. The n-th derivative of the quantile ``q`` is ``P_n(q) / pdf(q) ** n`` with
``P_1 = 1`` and ``P_(n+1) = P_n' + n q P_n``. ndtri's value lies within ``SURE`` of the
polynomial's ``z`` (they differ by far less), so, rounding being monotone, its float32
lies between those of ``z - SURE`` and ``z + SURE`` (each plus the mean): where the two
are the same, so is it. Elsewhere (the tails, where the bound is too large, and about
one draw in a hundred near a rounding boundary) ndtri is called.
"""
from __future__ import annotations

from math import factorial

import numpy as np
from numba import njit

from titlesim.kernels import ndtri, person_uniform

BINS, DEGREE = 4096, 4  # the polynomial below is written out for degree 4
ERROR = 2.0 ** -40  # the polynomial's error at most, in the bins the table keeps
SURE = 2.0 ** -34  # far more than ERROR and ndtri's own rounding together


def _table() -> np.ndarray:
    """Row ``k``: the Taylor coefficients of the quantile around ``(k + 0.5) / BINS``,
    or NaN where the remainder's bound (the next derivative's largest value on the bin,
    at 17 points) exceeds ``ERROR``: 3.6 % of draws, in the tails."""
    from numpy.polynomial import polynomial as poly
    from scipy.special import ndtri as quantile
    polys = [None, np.array([1.0])]
    for n in range(1, DEGREE + 1):
        polys.append(poly.polyadd(poly.polyder(polys[n]), n * poly.polymulx(polys[n])))

    def derivative(n, q):
        return poly.polyval(q, polys[n]) * (2 * np.pi) ** (n / 2) * np.exp(n * q * q / 2)
    k = np.arange(BINS)
    middle = quantile((k + 0.5) / BINS)
    made = np.empty((BINS, DEGREE + 1))
    made[:, 0] = middle
    for n in range(1, DEGREE + 1):
        made[:, n] = derivative(n, middle) / factorial(n)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        points = quantile((k[:, None] + np.linspace(0, 1, 17)[None, :]) / BINS)
        largest = np.abs(derivative(DEGREE + 1, points)).max(axis=1)
    bound = largest * (0.5 / BINS) ** (DEGREE + 1) / factorial(DEGREE + 1)
    made[~(bound <= ERROR)] = np.nan
    return made


# a constant of the compiled code (read as a global, it is faster than passed in); a
# table cached with older code is as good: the check below holds for any table within
# ERROR of the quantile
TABLE = _table()


@njit(cache=True, inline="always")
def person_normal_float32(stream, person, mean):
    """``np.float32(person_normal(stream, person) + mean)``, the same bits."""
    x = person_uniform(stream, person) + 0.5 / (1 << 53)
    k = np.int64(x * BINS)
    c0 = TABLE[k, 0]
    if not np.isnan(c0):
        h = x - (k + 0.5) / BINS
        z = (((TABLE[k, 4] * h + TABLE[k, 3]) * h + TABLE[k, 2]) * h + TABLE[k, 1]) * h + c0
        f = np.float32((z - SURE) + mean)  # ndtri's value lies between z - SURE and z + SURE
        if f == np.float32((z + SURE) + mean):
            return f
    return np.float32(ndtri(x) + mean)

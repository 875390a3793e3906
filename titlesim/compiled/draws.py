"""Draws inside compiled passes, one person at a time: uniforms (the counter-based bits
of :mod:`titlesim.randomness`) and normals by the inverse of the normal distribution, the same
bits as :func:`scipy.special.ndtri` (which :meth:`titlesim.randomness.Draws.normal`
uses), so a compiled step draws exactly the noise its numpy form draws.

It is Cephes' ``ndtri`` (S. L. Moshier), the algorithm scipy uses: a rational
approximation around the middle, and in the tails one in ``1/sqrt(-2 log y)``, with
the same constants and the same order of operations (``tests/test_compiled_steps.py``
compares the bits with scipy's over millions of draws, tails included).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from titlesim.kernels import person_bits

_EXP_MINUS_2 = 0.13533528323661269189
_SQRT_2PI = 2.50662827463100050242E0
_P0 = np.array([-5.99633501014107895267E1, 9.80010754185999661536E1, -5.66762857469070293439E1,
                1.39312609387279679503E1, -1.23916583867381258016E0])
_Q0 = np.array([1.95448858338141759834E0, 4.67627912898881538453E0, 8.63602421390890590575E1,
                -2.25462687854119370527E2, 2.00260212380060660359E2, -8.20372256168333339912E1,
                1.59056225126211695515E1, -1.18331621121330003142E0])
# tails with 2 <= x < 8, i.e. exp(-32) < y <= exp(-2)
_P1 = np.array([4.05544892305962419923E0, 3.15251094599893866154E1, 5.71628192246421288162E1,
                4.40805073893200834700E1, 1.46849561928858024014E1, 2.18663306850790267539E0,
                -1.40256079171354495875E-1, -3.50424626827848203418E-2, -8.57456785154685413611E-4])
_Q1 = np.array([1.57799883256466749731E1, 4.53907635128879210584E1, 4.13172038254672030440E1,
                1.50425385692907503408E1, 2.50464946208309415979E0, -1.42182922854787788574E-1,
                -3.80806407691578277194E-2, -9.33259480895457427372E-4])
# far tails, x >= 8
_P2 = np.array([3.23774891776946035970E0, 6.91522889068984211695E0, 3.93881025292474443415E0,
                1.33303460815807542389E0, 2.01485389549179081538E-1, 1.23716634817820021358E-2,
                3.01581553508235416007E-4, 2.65806974686737550832E-6, 6.23974539184983293730E-9])
_Q2 = np.array([6.02427039364742014255E0, 3.67983563856160859403E0, 1.37702099489081330271E0,
                2.16236993594496635890E-1, 1.34204006088543189037E-2, 3.28014464682127739104E-4,
                2.89247864745380683936E-6, 6.79019408009981274425E-9])


@njit(cache=True, inline="always")
def _polevl(x, coef):
    value = coef[0]
    for i in range(1, coef.size):
        value = value * x + coef[i]
    return value


@njit(cache=True, inline="always")
def _p1evl(x, coef):  # leading coefficient 1
    value = x + coef[0]
    for i in range(1, coef.size):
        value = value * x + coef[i]
    return value


@njit(cache=True)
def ndtri(y0):
    """The ``y0`` quantile of the standard normal (``y0`` in [0, 1])."""
    if y0 == 0.0:
        return -np.inf
    if y0 == 1.0:
        return np.inf
    if y0 < 0.0 or y0 > 1.0:
        return np.nan
    negative = True
    y = y0
    if y > 1.0 - _EXP_MINUS_2:
        y = 1.0 - y
        negative = False
    if y > _EXP_MINUS_2:
        y = y - 0.5
        y2 = y * y
        x = y + y * (y2 * _polevl(y2, _P0) / _p1evl(y2, _Q0))
        return x * _SQRT_2PI
    x = np.sqrt(-2.0 * np.log(y))
    x0 = x - np.log(x) / x
    z = 1.0 / x
    if x < 8.0:
        x1 = z * _polevl(z, _P1) / _p1evl(z, _Q1)
    else:
        x1 = z * _polevl(z, _P2) / _p1evl(z, _Q2)
    x = x0 - x1
    return -x if negative else x


@njit(cache=True, inline="always")
def uniform(stream, person):
    """:meth:`titlesim.randomness.Draws.uniform` of one person."""
    return np.float64(person_bits(stream, person) >> np.uint64(11)) * (1.0 / (1 << 53))


@njit(cache=True, inline="always")
def normal(stream, person):
    """:meth:`titlesim.randomness.Draws.normal` of one person."""
    return ndtri(uniform(stream, person) + 0.5 / (1 << 53))


@njit(cache=True)
def normals(u):
    """``ndtri`` of each of ``u`` (for tests)."""
    out = np.empty_like(u)
    for i in range(u.size):
        out[i] = ndtri(u[i])
    return out

"""Common random numbers: every draw is tied to (replicate, year, purpose, person).

A counter-based generator: the uniform for a person is a hash (SplitMix64's finaliser)
of the replicate's key, the year, the purpose and the person id. Two scenarios run with
the same seed therefore see the same luck person by person, whatever else differs, and a
revision that changes nothing a rule reads gives identical output. Replicate keys come
from one seed through numpy's :class:`~numpy.random.SeedSequence` (replicate ``r`` is
child ``r``).
"""
from __future__ import annotations

from enum import IntEnum

import numpy as np
from scipy.special import ndtri

from titlesim.sizes import kernels_for

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


class Purpose(IntEnum):
    """What a draw is for; the numbers are part of the reproducibility contract."""

    POPULATION = 1
    EXIT = 2
    ENTRANT = 3
    TRANSFER = 4
    RECOGNITION = 5
    PAPERS = 6
    APPLY = 7
    ABSENT = 8
    EXAM_NOISE = 9
    CONDUCT = 10
    EVALUATION_NOISE = 11
    COMMITTEE_ORDER = 12
    HIRING_ORDER = 13
    MOBILITY = 14
    MOBILITY_DESTINATION = 15
    ROUTE_CHOICE = 16


def _mix_int(x: int) -> int:
    x &= _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _mix_array(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser, in place on a uint64 array (wrapping arithmetic)."""
    tmp = np.empty_like(x)
    np.right_shift(x, np.uint64(30), out=tmp)
    x ^= tmp
    x *= _M1
    np.right_shift(x, np.uint64(27), out=tmp)
    x ^= tmp
    x *= _M2
    np.right_shift(x, np.uint64(31), out=tmp)
    x ^= tmp
    return x


def replicate_key(seed: int, replicate: int) -> int:
    state = np.random.SeedSequence(seed, spawn_key=(replicate,)).generate_state(2, np.uint64)
    return (int(state[0]) << 1 ^ int(state[1])) & _MASK


class Draws:
    """Uniform and normal draws for one replicate, keyed by year, purpose and person.

    >>> d = Draws(seed=1, replicate=0)
    >>> ids = np.arange(5)
    >>> bool((d.uniform(2022, Purpose.EXIT, ids) == d.uniform(2022, Purpose.EXIT, ids)).all())
    True
    """

    def __init__(self, seed: int, replicate: int):
        self.seed = seed
        self.replicate = replicate
        self.key = replicate_key(seed, replicate)

    def _stream(self, year: int, purpose: int, salt: int = 0) -> int:
        return _mix_int(self.key ^ _mix_int((year << 24) ^ (int(purpose) << 8) ^ salt))

    def stream(self, year: int, purpose: int, salt: int = 0) -> np.uint64:
        """The key of (year, purpose, salt): compiled passes hash ids with it
        (:func:`titlesim.kernels.person_bits`) to get :meth:`bits` one person at a time."""
        return np.uint64(self._stream(year, purpose, salt))

    def bits(self, year: int, purpose: int, ids: np.ndarray, salt: int = 0) -> np.ndarray:
        ids = np.asarray(ids)
        stream = np.uint64(self._stream(year, purpose, salt))
        if kernels_for(ids.size):
            from titlesim import kernels
            out = np.empty(ids.shape, dtype=np.uint64)
            kernels.bits(ids.ravel(), stream, out.ravel())
            return out
        x = ids.astype(np.uint64)
        x *= np.uint64(_GOLDEN)
        x += stream
        return _mix_array(x)

    def uniform(self, year: int, purpose: int, ids: np.ndarray, salt: int = 0) -> np.ndarray:
        """Uniform on [0, 1), one per id."""
        ids = np.asarray(ids)
        if kernels_for(ids.size):
            from titlesim import kernels
            out = np.empty(ids.shape, dtype=np.float64)
            kernels.uniform(ids.ravel(), np.uint64(self._stream(year, purpose, salt)), out.ravel())
            return out
        x = self.bits(year, purpose, ids, salt)
        x >>= np.uint64(11)
        return x.astype(np.float64) * (1.0 / (1 << 53))

    def uniform_of(self, year: int, purpose: int, person: int, salt: int = 0) -> float:
        """:meth:`uniform` of one id, in Python's integers: the same bits, no array made
        (for a draw a step makes once a year).

        >>> d = Draws(seed=1, replicate=0)
        >>> one = d.uniform_of(2022, Purpose.TRANSFER, -1)
        >>> bool(one == d.uniform(2022, Purpose.TRANSFER, np.array([-1]))[0])
        True
        """
        x = ((person & _MASK) * _GOLDEN + self._stream(year, purpose, salt)) & _MASK
        return (_mix_int(x) >> 11) * (1.0 / (1 << 53))

    def uniforms(self, year: int, purpose: int, ids: np.ndarray, k: int) -> list[np.ndarray]:
        """``k`` (at most 3) independent uniforms per id from one hash, each with
        ``64 // k`` bits (21 bits for three: steps of 5e-7, ample for yearly rates)."""
        if not 1 <= k <= 3:
            raise ValueError("k must be 1, 2 or 3")
        width = 64 // k
        scale = 1.0 / (1 << width)
        mask = np.uint64((1 << width) - 1)
        dtype = np.float32 if width <= 24 else np.float64  # exact either way
        ids = np.asarray(ids).ravel()
        if kernels_for(ids.size):
            from titlesim import kernels
            out = np.empty((k, len(ids)), dtype=dtype)
            kernels.split(ids, np.uint64(self._stream(year, purpose)), width, mask, dtype(scale), out)
            return list(out)
        x = self.bits(year, purpose, ids)
        return [((x >> np.uint64(width * i)) & mask).astype(dtype) * dtype(scale) for i in range(k)]

    def normal(self, year: int, purpose: int, ids: np.ndarray, salt: int = 0) -> np.ndarray:
        """Standard normal, one per id (inverse CDF of an open-interval uniform)."""
        u = self.uniform(year, purpose, ids, salt)
        u += 0.5 / (1 << 53)
        return ndtri(u)

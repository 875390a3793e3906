"""Compiled loops (numba) for the engine's largest arrays.

Each function here does exactly what a numpy expression elsewhere does (the same
arithmetic, so the same bits), in one pass and without temporary arrays. Loading numba
and its cached machine code costs about a second of CPU per process, so the callers use
these only for large arrays (:func:`titlesim.sizes.kernels_for`: province-scale runs), and the
numpy expressions otherwise; ``tests/test_kernels.py`` checks both give identical results.
Compiled code is cached on disk (``cache=True``) in a folder named by a hash of the
package's source (:mod:`titlesim.compiled_cache`): only the first run after an install or a
change of the code compiles.
"""
from __future__ import annotations

import llvmlite.binding as llvm
import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import get_cython_function_address, intrinsic

from titlesim.compiled_cache import use_keyed_folder

use_keyed_folder()  # before any cached function below is defined

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


# ------------------------------------------------------------------------ indexing
@njit(cache=True, inline="always")
def at(i):
    """``i`` (never negative) as an unsigned index. numba gives every access with a signed
    index a wrap-around for negative ones (three more instructions, and the array's length
    kept in a register or reloaded); a pass over everyone is mostly such accesses, some
    twenty a person, so ``column[at(i)]`` in the passes' hot loops saves instructions (the
    eligibility pass's loop: 184 -> 138). The same element, so the same bits."""
    return np.uint64(i)


AHEAD = 8  # how many people ahead the passes over scattered people fetch (see prefetch)


@intrinsic
def prefetch(typingctx, columns, i):
    """Ask the processor to bring ``column[i]`` of every column of the tuple ``columns``
    into its caches, without waiting for it (LLVM's prefetch; no effect on any value). A
    pass that works on scattered people (the arrivals in the leavers' places, the
    movers) asks for the person it will reach a few steps later: their twenty-odd
    columns then arrive while it works, instead of one cache miss after another."""
    def codegen(context, builder, signature, args):
        i32, bytes_at = ir.IntType(32), ir.IntType(8).as_pointer()
        function = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [bytes_at, i32, i32, i32]),
            "llvm.prefetch.p0")
        for k, column_type in enumerate(signature.args[0]):
            array = context.make_array(column_type)(context, builder,
                                                    builder.extract_value(args[0], k))
            pointer = cgutils.get_item_pointer(context, builder, column_type, array, [args[1]],
                                               wraparound=False, boundscheck=False)
            # read, keep in every cache level, data
            builder.call(function, [builder.bitcast(pointer, bytes_at), ir.Constant(i32, 0),
                                    ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()
    return types.void(columns, i), codegen


# ------------------------------------------------------------ counter-based draws
@njit(cache=True, inline="always")
def _mix(x):
    """SplitMix64's finaliser (wrapping arithmetic)."""
    x ^= x >> np.uint64(30)
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


@njit(cache=True, inline="always")
def person_bits(stream, person):
    """SplitMix64's finaliser of ``person x golden + stream`` (wrapping arithmetic), as
    :func:`titlesim.randomness.Draws.bits`."""
    return _mix(np.uint64(person) * _GOLDEN + stream)


# scipy's own ndtri (the function Draws.normal calls), linked by name so that the
# compiled code can be cached
llvm.add_symbol("titlesim_ndtri", get_cython_function_address("scipy.special.cython_special", "ndtri"))
ndtri = types.ExternalFunction("titlesim_ndtri", types.float64(types.float64))


@njit(cache=True, inline="always")
def stream_of(key, year, purpose, salt):
    """:meth:`titlesim.randomness.Draws.stream` of the replicate's ``key`` (uint64)."""
    return _mix(key ^ _mix((np.uint64(year) << np.uint64(24)) ^ (np.uint64(purpose) << np.uint64(8))
                           ^ np.uint64(salt)))


@njit(cache=True, inline="always")
def person_uniform(stream, person):
    """:meth:`titlesim.randomness.Draws.uniform` of one person."""
    return np.float64(person_bits(stream, person) >> np.uint64(11)) * (1.0 / (1 << 53))


@njit(cache=True, inline="always")
def person_normal(stream, person):
    """:meth:`titlesim.randomness.Draws.normal` of one person."""
    return ndtri(person_uniform(stream, person) + 0.5 / (1 << 53))


@njit(cache=True, inline="always")
def choose(keys, offsets, sizes, u, group):
    """:meth:`titlesim.sampling.CategoricalTable.choose` of one (uniform, group)."""
    index = np.searchsorted(keys, group + u, side="right")
    return min(index - offsets[group], sizes[group] - 1)


GUIDE_BINS = 64  # bins of the uniform in a guide table (a power of two: u x 64 is exact)


def guide(keys: np.ndarray, offsets: np.ndarray) -> np.ndarray | None:
    """The guide table of a :class:`titlesim.sampling.CategoricalTable`'s ``keys`` for
    :func:`choose_guided`: ``out[g, b]`` is where the search for ``g + u`` may start when
    ``u`` is in bin ``b`` (the first key above ``g + b / 64``: each key before it is at
    most ``g + u``). None when the keys are not sorted (a group whose weights are all
    zero has infinite keys; a valid scenario has none)."""
    if np.any(np.diff(keys) < 0) or np.isnan(keys).any():
        return None
    starts = np.arange(len(offsets))[:, None] + np.arange(GUIDE_BINS) / GUIDE_BINS
    return np.searchsorted(keys, starts, side="right").astype(np.int64)


@njit(cache=True, inline="always")
def choose_guided(keys, offsets, sizes, guide, u, group):
    """:func:`choose` from the guide table (:func:`guide`) of sorted ``keys``: a step or
    two from where the uniform's bin starts, instead of a binary search over every key
    (a mispredicted branch at each of its steps). The same index: both find the first
    key above ``group + u``."""
    v = group + u
    index = guide[group, np.int64(u * GUIDE_BINS)]
    while index < keys.size and keys[index] <= v:
        index += 1
    return min(index - offsets[group], sizes[group] - 1)


@njit(cache=True)
def bits(ids, stream, out):
    for i in range(ids.size):
        out[i] = person_bits(stream, ids[i])


@njit(cache=True)
def uniform(ids, stream, out):
    for i in range(ids.size):
        out[i] = np.float64(person_bits(stream, ids[i]) >> np.uint64(11)) * (1.0 / (1 << 53))


@njit(cache=True)
def split(ids, stream, width, mask, scale, out):
    """``out[j, i]``: part ``j`` (``width`` bits) of person ``i``'s bits, times ``scale``."""
    for i in range(ids.size):
        x = person_bits(stream, ids[i])
        for j in range(out.shape[0]):
            out[j, i] = out.dtype.type((x >> np.uint64(width * j)) & mask) * scale


# ------------------------------------------------------------------------- counts
@njit(cache=True)
def count(row, cell, mask):
    """``row += bincount(cell[mask])``."""
    for i in range(cell.size):
        if mask is None or mask[i]:
            c = cell[i]
            if c < 0 or c >= row.size:
                raise IndexError("a cell number out of range")
            row[c] += 1


# ------------------------------------------------------------------------- people
@njit(cache=True)
def compact(column, index):
    """Move ``column[index]`` to the front of ``column``, in place (``index`` ascending,
    as ``flatnonzero`` gives it, so no value is overwritten before it is moved)."""
    for j in range(index.size):
        column[j] = column[index[j]]


def rows(counts: np.ndarray, *metrics: int) -> tuple[np.ndarray, ...]:
    """The rows of ``counts`` (metric, cell) of ``metrics``, for compiled passes: a pass
    that counts into one-dimensional rows runs faster than one that indexes the table."""
    return tuple(counts[m] for m in metrics)

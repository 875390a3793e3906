"""When the engine uses its compiled loops (:mod:`titlesim.kernels`): for arrays of at
least ``LARGE`` elements. Kept apart so that asking does not load numba."""
from __future__ import annotations

LARGE = 200_000


def kernels_for(n: int) -> bool:
    """Whether an array of ``n`` elements is large enough for a compiled loop (below
    that, loading numba costs more than it saves)."""
    return n >= LARGE

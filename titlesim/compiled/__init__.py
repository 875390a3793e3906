"""Compiled passes (numba) of the engine's steps, one module per step.

Each module fuses the per-person work of one step of docs/model.md (its draws
included) into one pass over the people, computing exactly what the step's numpy code
in :mod:`titlesim.steps` with the pure rules of :mod:`titlesim.rules` computes, so the
results are bit for bit the same (``tests/test_kernels.py``). The rules stay the
readable reference; these are their fast form. When they are used is decided in
:mod:`titlesim.sizes`. (:mod:`titlesim.compiled.normal`, a draw, and
:mod:`titlesim.compiled.posts`, the posts table's layout, are shared by passes, not steps.)
"""

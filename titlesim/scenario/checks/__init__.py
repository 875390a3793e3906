"""The scenario's cross-field checks: rules about how its keys agree with each other,
which a field's own type and range cannot say (shares that add up to 1, names that
must be defined in ``population``, a pass line no higher than full marks ...).

:mod:`titlesim.scenario.schema` declares each field; its model validators call these
checks. A check raises :class:`KeyProblem` naming the key (relative to the model it
checks), and :mod:`titlesim.scenario.loader` turns that into a message naming the file,
the key path and its line.
"""
from __future__ import annotations


class KeyProblem(ValueError):
    """A problem a model's validator finds in one of its keys. ``path`` (relative to the
    model) lets the loader name that key and its line rather than the whole model."""

    def __init__(self, path: tuple, message: str):
        super().__init__(message)
        self.path = tuple(path)

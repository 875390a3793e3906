"""Errors that speak to policy staff.

Every problem with an input (a scenario, a roster, a score list, an argument) is an
:class:`InputError` carrying where it is (file, key path or column, line or row) and what
was expected. The CLI prints these without a traceback and exits with status 2.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One problem found in an input."""

    message: str
    file: str | None = None
    key: str | None = None  # key path in a scenario, or a column name in a table
    line: int | None = None  # 1-based line in a YAML file, or 1-based row in a table
    expected: str | None = None
    hint: str | None = None
    line_word: str = "line"

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.line is not None:
            where.append(f"{self.line_word} {self.line}")
        if self.key:
            where.append(self.key)
        text = ": ".join([", ".join(where), self.message]) if where else self.message
        if self.expected:
            text += f" (expected {self.expected})"
        if self.hint:
            text += f"; {self.hint}"
        return text


@dataclass
class InputError(Exception):
    """One or more problems with an input; nothing has been written."""

    problems: list[Problem] = field(default_factory=list)

    def __init__(self, problems: "list[Problem] | Problem | str"):
        if isinstance(problems, (Problem, str)):
            problems = [problems]
        self.problems = [p if isinstance(p, Problem) else Problem(p) for p in problems]
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

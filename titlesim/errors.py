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
    sheet: str | None = None  # the workbook sheet a table row is on

    def __str__(self) -> str:
        return self.text("en")  # the code's own words, for logs and tracebacks

    def text(self, lang: str | None = None) -> str:
        """The problem in words for the user, in ``lang`` (default: the language in use): where it is
        (file, line or row, key or column), what is wrong, what was expected.

        >>> Problem("not a number", file="a.csv", key="成绩", line=3, line_word="row").text("zh")
        '文件 a.csv，第 3 行，列“成绩”：不是数字'
        """
        from titlesim.i18n import msg
        message = _translated(self.message, lang)
        where = []
        if self.file:
            where.append(str(self.file) if str(self.file).startswith("-") else
                         msg("problem.file", lang, file=self.file))
        if self.sheet:
            where.append(msg("problem.sheet", lang, sheet=self.sheet))
        if self.line is not None:
            where.append(msg(f"problem.{self.line_word}", lang, line=self.line))
        if self.key:
            column = self.line_word == "row" and not self.key.startswith("-")
            where.append(msg("problem.column" if column else "problem.key", lang, name=self.key))
        text = msg("problem.where", lang, where=msg("problem.join", lang).join(where),
                   message=message) if where else message
        if self.expected:
            text += msg("problem.expected", lang,
                        expected=_set_apart(_translated(self.expected, lang), lang))
        if self.hint:
            text += msg("problem.hint", lang, hint=_translated(self.hint, lang))
        return text


def _set_apart(text: str, lang: str | None) -> str:
    """In Chinese, ASCII words that follow 应为 are set apart by a space, as Chinese
    typesetting does (应为 LO < HI, 应为 1 或更多; but 应为一个数).

    >>> _set_apart("LO < HI", "zh"), _set_apart("一个数", "zh"), _set_apart("LO < HI", "en")
    (' LO < HI', '一个数', 'LO < HI')
    """
    from titlesim.i18n import current_language
    chinese = (lang or current_language()) == "zh"
    return " " + text if chinese and text[:1].isascii() and not text[:1].isspace() else text


def _translated(text: str, lang: str | None) -> str:
    from titlesim.i18n import problem_text
    return problem_text(text, lang)


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
        return self.text("en")

    def text(self, lang: str | None = None) -> str:
        """Every problem, one a line, in ``lang`` (default: the language in use)."""
        return "\n".join(p.text(lang) for p in self.problems)

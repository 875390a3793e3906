"""Click's own words (usage, "Options", "Missing argument", "is not one of" ...) in the
user's language.

Click passes every sentence it prints through :func:`gettext.gettext` (``_``) and
:func:`gettext.ngettext`, looked up in each of its modules. :func:`install` puts our
two functions there: they find the sentence among the catalogue's ``click.*`` rows (the
``en`` column is click's own text) and give its Chinese when the language is Chinese.
Click fills some sentences with the English name of a type ("'x' is not a valid
{number_type}", "{name} 'a.csv' does not exist"): the Chinese sentence puts the type's
Chinese name (``type.<name>`` rows) there instead.
"""
from __future__ import annotations

import importlib
import re
import unicodedata
from functools import lru_cache

from titlesim.i18n import catalogue, current_language

CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types",
                 "termui", "utils")


@lru_cache(maxsize=1)
def _chinese() -> dict[str, str]:
    return {row["en"]: row["zh"] for key, row in catalogue().items() if key.startswith("click.")}


# the fields in which click puts the name of a type (integer, float, file, directory ...)
TYPE_FIELDS = ("number_type", "name", "param_type")


def type_word(name: str, lang: str | None = None) -> str:
    """A click type's name (``"integer range"``, ``"File"``) in the language in use."""
    if (lang or current_language()) != "zh":
        return name
    row = catalogue().get(f"type.{name.lower()}")
    return row["zh"] if row else name


class _Sentence(str):
    """A Chinese sentence of click's whose type names are put in Chinese when formatted."""

    def format(self, *args, **fields):
        for field in TYPE_FIELDS:
            if isinstance(fields.get(field), str):
                fields[field] = type_word(fields[field], "zh")
        return str.format(self, *args, **fields)


def gettext(message: str) -> str:
    if current_language() != "zh":
        return message
    chinese = _chinese().get(message)
    return message if chinese is None else _Sentence(chinese)


class VersionMessage(str):
    """The ``--version`` line, put in the user's language when it is printed (click reads
    its message when the command is defined, before ``--lang`` is known)."""

    def __new__(cls, text: str = "%(prog)s, version %(version)s"):
        return super().__new__(cls, text)

    def __mod__(self, values):
        return gettext(str(self)) % values


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a Chinese character takes two, so that help
    tables with Chinese metavars stay aligned (click counts characters)."""
    from click._compat import term_len
    return term_len(text) + sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")


def _write_heading(self, heading: str) -> None:
    """A section heading of the help (选项：, 命令：) with the colon of the language."""
    colon = "：" if current_language() == "zh" else ":"
    self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")


_CLICK_WRITE_USAGE = None


def _write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
    """用法：titlesim run ... (click puts a space after the colon, right in English only)."""
    if prefix is None and current_language() == "zh":
        prefix = gettext("Usage:")
    _CLICK_WRITE_USAGE(self, prog, args, prefix)


_CLICK_MISSING_MESSAGE = None


def _missing_message(self) -> str:
    """缺少参数 'SCENARIO'。: click ends the sentence with an English full stop of its own,
    the last character (an argument taking several values is named 'REVISIONS...')."""
    text = _CLICK_MISSING_MESSAGE(self)
    if current_language() == "zh":
        text = re.sub(r"^(缺少.*)\.$", r"\1。", text)
    return text


# Chinese has no spaces to break lines at: a help line may break between two characters,
# never inside a word of Latin letters (report.html) or a path with placeholders
# (reports/plans/<情景>/<时间>), and never before a closing mark
_WIDE = "\u2018\u2019\u201c\u201d\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_OPENING, _CLOSING = "（《“‘「【", "，。、；：）》”’！？」】"
_PIECE = re.compile(rf"[{_OPENING}]*(?:(?:<[^<>\s]+>|[^{_WIDE}])+|[{_WIDE}])[{_CLOSING}]*")
_CLICK_SPLIT = None


def _split_between_characters(self, text: str) -> list[str]:
    """textwrap's pieces of ``text`` (words and spaces), Chinese ones cut into characters
    (each with the punctuation that must stay beside it), when the language is Chinese.

    >>> import click._textwrap
    >>> install(); from titlesim.i18n import set_language; set_language("zh")
    >>> click._textwrap.TextWrapper(width=20).wrap("写入报告（report.html、report.pdf）。")
    ['写入报告', '（report.html、', 'report.pdf）。']
    >>> click._textwrap.TextWrapper(width=36).wrap("默认新建 reports/plans/<情景>/<时间>）；除非用")
    ['默认新建', 'reports/plans/<情景>/<时间>）；除非', '用']
    >>> set_language(None)
    """
    pieces = _CLICK_SPLIT(self, text)
    if current_language() != "zh":
        return pieces
    return [part for piece in pieces for part in _PIECE.findall(piece)]


_CLICK_DESCRIBE_RANGE = None


def _range_in_words(self) -> str:
    """A number's range as a Chinese reader writes it: ≥ 1, 1949 至 2200 (click: x>=1,
    1949<=x<=2200).

    >>> import click
    >>> install(); from titlesim.i18n import set_language; set_language("zh")
    >>> click.IntRange(min=1)._describe_range(), click.IntRange(1949, 2200)._describe_range()
    ('≥ 1', '1949 至 2200')
    >>> click.FloatRange(min=0, min_open=True)._describe_range()
    '> 0'
    >>> set_language(None)
    """
    if current_language() != "zh":
        return _CLICK_DESCRIBE_RANGE(self)
    if self.min is not None and self.max is not None:
        if self.min_open or self.max_open:
            return _CLICK_DESCRIBE_RANGE(self)
        return f"{self.min} 至 {self.max}"
    if self.min is not None:
        return f"{'>' if self.min_open else '≥'} {self.min}"
    return f"{'<' if self.max_open else '≤'} {self.max}"


def install() -> None:
    global _CLICK_WRITE_USAGE, _CLICK_MISSING_MESSAGE, _CLICK_SPLIT, _CLICK_DESCRIBE_RANGE
    import click._textwrap
    import click.exceptions
    import click.formatting
    click.formatting.term_len = display_width
    click._textwrap.term_len = display_width  # lines fit the terminal's columns, not characters
    if _CLICK_DESCRIBE_RANGE is None:
        import click.types
        _CLICK_DESCRIBE_RANGE = click.types._NumberRangeBase._describe_range
        click.types._NumberRangeBase._describe_range = _range_in_words
    if _CLICK_SPLIT is None:
        _CLICK_SPLIT = click._textwrap.TextWrapper._split
        click._textwrap.TextWrapper._split = _split_between_characters
    if _CLICK_MISSING_MESSAGE is None:
        _CLICK_MISSING_MESSAGE = click.exceptions.MissingParameter.format_message
        click.exceptions.MissingParameter.format_message = _missing_message
    click.formatting.HelpFormatter.write_heading = _write_heading
    if _CLICK_WRITE_USAGE is None:
        _CLICK_WRITE_USAGE = click.formatting.HelpFormatter.write_usage
        click.formatting.HelpFormatter.write_usage = _write_usage
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext

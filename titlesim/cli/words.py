"""Click's own words (usage, "Options", "Missing argument", "is not one of" ...) in the
user's language.

Click passes every sentence it prints through :func:`gettext.gettext` (``_``) and
:func:`gettext.ngettext`, looked up in each of its modules. :func:`install` puts our
two functions there: they find the sentence among the catalogue's ``click.*`` rows (the
``en`` column is click's own text) and give its Chinese when the language is Chinese.
"""
from __future__ import annotations

import importlib
from functools import lru_cache

from titlesim.i18n import catalogue, current_language

CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types",
                 "termui", "utils")


@lru_cache(maxsize=1)
def _chinese() -> dict[str, str]:
    return {row["en"]: row["zh"] for key, row in catalogue().items() if key.startswith("click.")}


def gettext(message: str) -> str:
    if current_language() != "zh":
        return message
    return _chinese().get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext

"""Download links for files the pages write (a saved revision, a report's files).

Under ``titlesim serve`` (``TITLESIM_DOWNLOADS`` set) a link points at the server's
download route, which hands out files of the scenarios folder and of ``reports/`` only.
Anywhere else (JupyterLab, a plain Voilà) the file travels inside the link itself (a
``data:`` URL), so it downloads without any server support.
"""
from __future__ import annotations

import base64
import html
import mimetypes
import os
from pathlib import Path
from urllib.parse import quote

from titlesim.ui.settings import ENV_DOWNLOADS, scenario_folder, workspace

REPORT_SUFFIXES = (".html", ".docx", ".pdf", ".xlsx")
TYPES = {".yaml": "application/x-yaml", ".docx":
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def report_files(folder: Path) -> list[Path]:
    """The files of a report folder worth downloading, in a fixed order (HTML, Word, PDF,
    workbook), whichever of them the report made."""
    found = [p for p in Path(folder).iterdir() if p.is_file() and p.suffix in REPORT_SUFFIXES]
    return sorted(found, key=lambda p: (REPORT_SUFFIXES.index(p.suffix), p.name))


def href(path: Path, environ=None) -> str:
    """Where the browser gets ``path``: the server's route when served, else a data URL."""
    env = os.environ if environ is None else environ
    path = Path(path).resolve()
    prefix = env.get(ENV_DOWNLOADS)
    if prefix:
        roots = {"scenarios": scenario_folder(environ=env).resolve()}
        if workspace(env) is not None:
            roots["reports"] = (workspace(env) / "reports").resolve()
        for kind, root in roots.items():
            if path.is_relative_to(root):
                return prefix + kind + "/" + quote(path.relative_to(root).as_posix())
    kind = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def link(path: Path, text: str, environ=None) -> str:
    """An ``<a download>`` for ``path`` showing ``text``."""
    path = Path(path)
    return (f"<a class='titlesim-download' href='{html.escape(href(path, environ))}' "
            f"download='{html.escape(path.name)}' target='_blank' "
            f"style='margin-right:1em'>{html.escape(text)}</a>")

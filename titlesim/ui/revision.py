"""Save the what-if settings as a revision scenario file.

A revision ``extends:`` the scenario it revises (by a path relative to itself) and states
only the keys whose values the user changed with the controls, so that ``titlesim`` (and
a reader) sees exactly what the revision changes; settings the page was opened with for a
smaller trial (``TITLESIM_WHATIF_SET``) are never written. It carries a ``title`` and the
``question`` it answers. A comment at the top says who saved it, when, and what changed,
with each parameter's label and clause. An existing file is never overwritten, and
nothing is written unless the revision loads and validates.
"""
from __future__ import annotations

import datetime as _dt
import getpass
import os
import tempfile
from pathlib import Path

from titlesim import labels
from titlesim.errors import InputError, Problem
from titlesim.compare.diff import NOT_COMPARED, changed
from titlesim.i18n import msg
from titlesim.paramdoc import format_value
from titlesim.runfolder import SAFE_NAME, current_umask
from titlesim.scenario import load_scenario
from titlesim.scenario.loader import dump_yaml
from titlesim.ui.settings import to_overrides


def nest(flat: dict) -> dict:
    """``{"a.b": 1}`` -> ``{"a": {"b": 1}}``."""
    tree: dict = {}
    for path, value in flat.items():
        node = tree
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return tree


def revision_text(base_file: Path, changes: dict, save_dir: Path, user: str, when: str,
                  title: str = "", question: str = "", kept=()) -> str:
    """The YAML of a revision of ``base_file`` with the control values ``changes``
    (``{key path: value}``) on top of the ``kept`` overrides (``KEY=VALUE``) the view was
    opened with."""
    base = load_scenario(base_file)
    target = base.with_overrides([*kept, *to_overrides(changes)])
    differs = {path: (old, new) for path, old, new in changed(base.resolved, target.resolved)}
    if not differs:
        raise InputError(Problem(msg("revision.nothing_changed"), file=str(base_file)))
    extends = os.path.relpath(Path(base_file).resolve(), Path(save_dir).resolve())
    name = Path(base_file).name  # the file's comments in both languages, Chinese first
    head = [f"# {name} 的修订，由“假如……会怎样”页面保存 / revision of {name}, saved from the what-if page",
            f"# 保存人 / who: {user}", f"# 时间 / when: {when}", "# 改动 / what:"]
    for path, (old, new) in differs.items():
        row = labels.parameter_row(path) or {}
        source = row.get("source") or "assumption"
        head.append(f"#   {path}: {format_value(old)} -> {format_value(new)}"
                    f"  ({row.get('zh', '')} / {row.get('en', '')}; {source})")
    words = {key: text.strip() for key, text in (("title", title), ("question", question)) if text.strip()}
    body = dump_yaml({"extends": extends.replace(os.sep, "/"), **words,
                      **nest({path: new for path, (_, new) in differs.items()})})
    return "\n".join(head) + "\n" + body


def revision_path(name: str, save_dir: Path) -> Path:
    """``<save_dir>/<name>.yaml``; spaces in the name become ``-``."""
    stem = "-".join(name.strip().removesuffix(".yaml").removesuffix(".yml").split())
    if not SAFE_NAME.match(stem) or stem in (".", ".."):
        raise InputError(Problem(msg("revision.bad_name", name=name), key="revision name"))
    return Path(save_dir) / f"{stem}.yaml"


def save_revision(base_file: Path, changes: dict, name: str, save_dir: Path | None = None,
                  user: str | None = None, when: str | None = None, title: str = "",
                  question: str = "", kept=()) -> Path:
    """Write the revision as ``<save_dir>/<name>.yaml`` (default: beside ``base_file``)
    and return its path. Refuses an existing file; checks the revision loads to the
    base with ``changes`` before it appears under its name."""
    base_file = Path(base_file)
    save_dir = Path(save_dir) if save_dir is not None else base_file.parent
    dest = revision_path(name, save_dir)
    if dest.exists():
        raise InputError(Problem(msg("revision.exists"), file=str(dest)))
    user = user or _user()
    when = when or _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    text = revision_text(base_file, changes, save_dir, user, when, title, question, kept)
    expected = load_scenario(base_file).with_overrides([*kept, *to_overrides(changes)]).resolved
    save_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.stem}.", suffix=".yaml", dir=save_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes it private
        if _model(load_scenario(tmp).resolved) != _model(expected):
            raise RuntimeError("the revision does not reproduce the current settings")
        try:
            os.link(tmp, dest)  # atomic, and fails if dest appeared meanwhile
        except FileExistsError:
            raise InputError(Problem(msg("revision.exists"), file=str(dest))) from None
    finally:
        os.unlink(tmp)
    return dest


def _model(resolved: dict) -> dict:
    """The parameters that decide the numbers (not the free text)."""
    return {k: v for k, v in resolved.items() if k not in NOT_COMPARED}


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        return "unknown"

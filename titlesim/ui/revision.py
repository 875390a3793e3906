"""Save the what-if settings as a revision scenario file.

A revision ``extends:`` the scenario it revises (by a path relative to itself) and states
only the keys whose values differ from that file, so that ``titlesim`` (and a reader)
sees exactly what the revision changes. A comment at the top says who saved it, when,
and what changed, with each parameter's label and clause. An existing file is never
overwritten, and nothing is written unless the revision loads and validates.
"""
from __future__ import annotations

import datetime as _dt
import getpass
import os
import tempfile
from pathlib import Path

from titlesim import labels
from titlesim.errors import InputError, Problem
from titlesim.compare.diff import changed
from titlesim.paramdoc import format_value
from titlesim.runfolder import safe_component
from titlesim.scenario import LoadedScenario, load_scenario
from titlesim.scenario.loader import dump_yaml


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


def revision_text(base_file: Path, current: LoadedScenario, save_dir: Path,
                  user: str, when: str) -> str:
    """The YAML of a revision of ``base_file`` that resolves to ``current``."""
    changes = {path: (old, new) for path, old, new in
               changed(load_scenario(base_file).resolved, current.resolved)}
    if not changes:
        raise InputError(Problem("nothing differs from the scenario as loaded, so there is "
                                 "no revision to save", file=str(base_file)))
    extends = os.path.relpath(Path(base_file).resolve(), Path(save_dir).resolve())
    head = [f"# Revision of {Path(base_file).name}, saved from the what-if view (titlesim.ui)",
            f"# who: {user}", f"# when: {when}", "# what:"]
    for path, (old, new) in changes.items():
        row = labels.parameter_row(path) or {}
        source = row.get("source") or "assumption"
        head.append(f"#   {path}: {format_value(old)} -> {format_value(new)}"
                    f"  ({row.get('zh', '')} / {row.get('en', '')}; {source})")
    body = dump_yaml({"extends": extends.replace(os.sep, "/"),
                      **nest({path: new for path, (_, new) in changes.items()})})
    return "\n".join(head) + "\n" + body


def revision_path(name: str, save_dir: Path) -> Path:
    stem = name.strip().removesuffix(".yaml").removesuffix(".yml")
    return Path(save_dir) / f"{safe_component(stem, 'revision name')}.yaml"


def save_revision(base_file: Path, current: LoadedScenario, name: str, save_dir: Path | None = None,
                  user: str | None = None, when: str | None = None) -> Path:
    """Write the revision as ``<save_dir>/<name>.yaml`` (default: beside ``base_file``)
    and return its path. Refuses an existing file; checks the revision loads to the same
    parameters before it appears under its name."""
    base_file = Path(base_file)
    save_dir = Path(save_dir) if save_dir is not None else base_file.parent
    dest = revision_path(name, save_dir)
    if dest.exists():
        raise InputError(Problem("already exists; a revision is never overwritten",
                                 file=str(dest), expected="a new file name"))
    user = user or _user()
    when = when or _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    text = revision_text(base_file, current, save_dir, user, when)
    save_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.stem}.", suffix=".yaml", dir=save_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        if load_scenario(tmp).resolved != current.resolved:
            raise RuntimeError("the revision does not reproduce the current settings")
        try:
            os.link(tmp, dest)  # atomic, and fails if dest appeared meanwhile
        except FileExistsError:
            raise InputError(Problem("already exists; a revision is never overwritten",
                                     file=str(dest), expected="a new file name")) from None
    finally:
        os.unlink(tmp)
    return dest


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        return "unknown"

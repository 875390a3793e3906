"""The one reader of YAML files (scenarios, their ``extends:`` bases, sweep grids).

A YAML file may come by email from another office, so it is read as hostile until proved
otherwise. Before anything is built from it:

- it must be a regular ``.yaml``/``.yml`` file (not a folder, a device, a FIFO or
  ``/etc/shadow``) of at most :data:`MAX_BYTES`, and UTF-8 text;
- its nesting is at most :data:`MAX_DEPTH` deep, it uses at most :data:`MAX_ALIASES`
  aliases (``*name``), none recursive, and expands to at most :data:`MAX_NODES` values
  (a "billion laughs" file is refused in milliseconds);
- no mapping names the same key twice (YAML would silently keep the second: a scenario
  with ``ratio:`` twice would run on one of them); both lines are named;
- every number is finite (``.nan`` and ``.inf`` are refused, naming the key and line).

Messages name the file, the line and the key, and never quote the file's text: a file
that is not a scenario is never echoed.

A text that passed the guards is remembered (the last :data:`REMEMBERED` texts, each at
most :data:`REMEMBER_BYTES` naming at most :data:`REMEMBER_PATHS` key paths): the same
text again (a base read by each of its revisions, a scenario loaded once per setting of
the what-if page) gets a fresh copy of its data without being parsed again. The file is
read every time and the text itself is the key, so a file changed on disk is never
served as it was, whatever its size and time. A refused text is parsed, and refused,
every time.

>>> doc = read_yaml("scenarios/grassroots-ratio-0.6.yaml")
>>> doc.data["extends"], doc.lines[("extends",)]
('baseline-2022.yaml', 4)
"""
from __future__ import annotations

import math
import os
import pickle
import re
import stat
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import yaml

from titlesim.errors import InputError, Problem
from titlesim.i18n import foreign, msg

MAX_BYTES = 1_000_000  # the baseline scenario is 12 KB
MAX_DEPTH = 32
MAX_ALIASES = 64
MAX_NODES = 200_000
SUFFIXES = (".yaml", ".yml")
REMEMBERED = 32
REMEMBER_BYTES = 100_000
# nor a text naming more key paths than this once its aliases are expanded: a few KB of
# merge keys (<<: *base) can name 90,000 paths, 20 MB kept (the baseline names 467)
REMEMBER_PATHS = 20_000
_parsed: OrderedDict[tuple, tuple[bytes, dict]] = OrderedDict()  # (text, guards) -> (pickled data, lines)
_parsed_lock = threading.Lock()


@dataclass(frozen=True)
class YamlDoc:
    """A parsed file: its data and the 1-based line of every key path (list items by index)."""

    data: object
    lines: dict[tuple, int]
    file: str


def read_yaml(path, what: str = "scenario") -> YamlDoc:
    """Read ``path`` (a ``"scenario"`` or a ``"grid"``) under every guard above; raises
    :class:`InputError` naming it."""
    path = Path(path)
    text = _read_text(path, what)
    return parse_yaml(text, str(path))


def parse_yaml(text: str, file: str) -> YamlDoc:
    """Parse YAML text under the guards (the file name is used only in messages)."""
    key = (text, MAX_DEPTH, MAX_ALIASES, MAX_NODES)  # a text passed the guards as they were then
    with _parsed_lock:
        known = _parsed.get(key)
        if known is not None:
            _parsed.move_to_end(key)
    if known is not None:  # a copy: callers may change what they are given
        return YamlDoc(pickle.loads(known[0]), dict(known[1]), file)
    doc = _parse_yaml(text, file)
    if len(text) <= REMEMBER_BYTES and len(doc.lines) <= REMEMBER_PATHS:
        with _parsed_lock:
            _parsed[key] = (pickle.dumps(doc.data, protocol=pickle.HIGHEST_PROTOCOL), dict(doc.lines))
            while len(_parsed) > REMEMBERED:
                _parsed.popitem(last=False)
    return doc


# libyaml's parser where PyYAML has it (its wheels do): the same events, nodes, lines and
# data as PyYAML's own parser, written in Python, at a tenth of the time (45 ms against 3 ms
# for the baseline scenario, parsed in every command). A text it cannot parse is parsed
# again by PyYAML's parser, whose messages are the ones translated (i18n), so a refusal
# reads the same either way.
FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _parse_yaml(text: str, file: str) -> YamlDoc:
    if FAST_LOADER is not None:
        try:
            return _parse_with(FAST_LOADER, text, file)
        except yaml.YAMLError:
            pass
    try:
        return _parse_with(yaml.SafeLoader, text, file)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, file, text) from None


def _parse_with(loader_class, text: str, file: str) -> YamlDoc:
    """The text parsed by ``loader_class`` under the guards (raises ``yaml.YAMLError``
    where it is not YAML)."""
    _check_events(text, file, loader_class)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        _check_graph(node, file)
        _check_duplicates(node, file)
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    if node is not None:
        _collect_lines(node, (), lines)
    _check_finite(data, (), lines, file)
    return YamlDoc(data, lines, file)


def parse_value(text: str, key: str, source: str = "--set"):
    """One ``--set`` value as YAML would read it (plain text where it is not YAML), under
    the same guards: finite numbers, bounded size and nesting, no recursive alias."""
    if len(text) > MAX_BYTES:
        raise InputError(Problem(msg("yaml_too_big", limit=MAX_BYTES), file=source, key=key))
    try:
        return parse_yaml(text, source).data
    except YamlSyntaxError:
        return text
    except InputError as exc:
        raise InputError([Problem(p.message, file=source, key=key) for p in exc.problems]) from None


class YamlSyntaxError(InputError):
    """The text is not YAML at all (as opposed to YAML the guards refuse)."""


# --------------------------------------------------------------------------- the file
def _read_text(path: Path, what: str) -> str:
    file = str(path)
    what = msg(f"yaml_kind_{what}")
    try:
        info = os.stat(path)  # follows a symlink: the target must pass the same checks
    except FileNotFoundError:
        raise InputError(Problem(msg("file_not_found"), file=file)) from None
    except OSError as exc:
        raise InputError(Problem(msg("file_unreadable", reason=foreign(exc.strerror or "?")), file=file)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(Problem(msg("yaml_is_folder", what=what), file=file))
    if not stat.S_ISREG(info.st_mode):
        raise InputError(Problem(msg("yaml_not_regular", what=what), file=file))
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(Problem(msg("yaml_wrong_suffix", what=what), file=file))
    if info.st_size > MAX_BYTES:
        raise InputError(Problem(msg("yaml_too_big", limit=MAX_BYTES), file=file))
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(Problem(msg("file_unreadable", reason=foreign(exc.strerror or "?")), file=file)) from None
    if len(raw) > MAX_BYTES:
        raise InputError(Problem(msg("yaml_too_big", limit=MAX_BYTES), file=file))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1  # where an editor shows it
        raise InputError(Problem(msg("yaml_not_utf8"), file=file, line=line,
                                 hint=msg("yaml_not_utf8_hint"))) from None


# a key followed by the full-width colon a Chinese keyboard types (passline：), not ':'
FULL_WIDTH_COLON = re.compile(r"^\s*[A-Za-z_][\w.-]*\s*：")


def _syntax_error(exc: yaml.YAMLError, file: str, text: str = "") -> YamlSyntaxError:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    # only PyYAML's own short description: never the snippet of the file it quotes
    reason = getattr(exc, "problem", None) or type(exc).__name__
    hint = None
    # PyYAML notices a full-width colon a line or more later: name the line that has it
    colon = next((n for n, row in enumerate(text.splitlines()[:line], start=1)
                  if FULL_WIDTH_COLON.match(row)), None) if line else None
    if colon is not None:
        line, hint = colon, msg("yaml_full_width_colon")
    return YamlSyntaxError(Problem(msg("yaml_invalid", reason=foreign(reason)), file=file,
                                   line=line, hint=hint))


# ------------------------------------------------------------------------- the guards
def _check_events(text: str, file: str, loader_class) -> None:
    """Depth and alias count from the event stream (neither parser is recursive, so
    20,000 nested brackets are measured without exhausting the stack; the nodes, built
    recursively, are built only from a text whose depth passed)."""
    depth = aliases = 0
    for event in yaml.parse(text, Loader=loader_class):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(Problem(msg("yaml_too_deep", limit=MAX_DEPTH), file=file,
                                         line=event.start_mark.line + 1))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise InputError(Problem(msg("yaml_too_many_aliases", limit=MAX_ALIASES),
                                         file=file, line=event.start_mark.line + 1))


def _check_graph(node, file: str) -> None:
    """No alias inside itself, and at most MAX_NODES values once aliases are expanded."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()

    def size(n) -> int:
        key = id(n)
        if key in sizes:
            return sizes[key]
        if key in open_:
            raise InputError(Problem(msg("yaml_recursive_alias"), file=file,
                                     line=n.start_mark.line + 1))
        open_.add(key)
        total = 1
        if isinstance(n, yaml.SequenceNode):
            total += sum(size(child) for child in n.value)
        elif isinstance(n, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in n.value)
        open_.discard(key)
        if total > MAX_NODES:
            raise InputError(Problem(msg("yaml_too_many_nodes", limit=MAX_NODES), file=file,
                                     line=n.start_mark.line + 1))
        sizes[key] = total
        return total

    if node is not None:
        size(node)


def _check_duplicates(node, file: str) -> None:
    seen_nodes: set[int] = set()
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if id(n) in seen_nodes:
            continue
        seen_nodes.add(id(n))
        if isinstance(n, yaml.MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in n.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                    line = key_node.start_mark.line + 1
                    if key_node.value in first:
                        raise InputError(Problem(
                            msg("yaml_duplicate_key", name=key_node.value, first=first[key_node.value],
                                second=line), file=file, key=key_node.value, line=line))
                    first[key_node.value] = line
                stack.extend((key_node, value_node))
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)


def _collect_lines(node, path: tuple, out: dict, depth: int = 0) -> None:
    if depth > MAX_DEPTH * 4:  # through aliases; deeper lines are not needed for messages
        return
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = path + (key_node.value,)
            out.setdefault(child, key_node.start_mark.line + 1)
            _collect_lines(value_node, child, out, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.setdefault(path + (i,), item.start_mark.line + 1)
            _collect_lines(item, path + (i,), out, depth + 1)


def _check_finite(data, path: tuple, lines: dict, file: str) -> None:
    problems = []
    stack = [(data, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            line = next((lines[where[:cut]] for cut in range(len(where), 0, -1)
                         if where[:cut] in lines), None)
            problems.append(Problem(msg("yaml_not_finite"), file=file,
                                    key=".".join(map(str, where)) or None, line=line))
        elif isinstance(value, dict):
            stack.extend((v, where + (k,)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, where + (i,)) for i, v in enumerate(value))
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.line or 0))

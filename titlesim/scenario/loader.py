"""Load a scenario: YAML (safe loading only), ``extends:`` chains, ``--set`` overrides.

A revision names its base with ``extends:`` (a path relative to the file) and states only
what it changes: mappings merge deeply, lists and scalars replace. Every problem names
the file, the key path and the line where YAML gives it.
"""
from __future__ import annotations

import difflib
import hashlib
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from titlesim.errors import InputError, Problem
from titlesim.i18n import current_language
from titlesim.scenario.before import mark_rules_before_start
from titlesim.scenario.schema import WORDS, Scenario
from titlesim.yamlfile import YamlDoc, parse_value, read_yaml

Where = tuple[str, int | None]  # (file, line)


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario and where it came from."""

    params: Scenario
    name: str
    path: Path | None
    files: tuple[Path, ...]  # the file and its extends chain, revision first
    overrides: tuple[str, ...] = ()
    raw: dict = field(default_factory=dict, compare=False)

    @property
    def resolved(self) -> dict:
        """The merged scenario as plain data, ``extends`` resolved, defaults filled."""
        return self.params.model_dump(mode="json")

    @property
    def title(self) -> str:
        """The scenario's name for people in the language in use (:meth:`title_in`)."""
        return self.title_in()

    def title_in(self, lang: str | None = None) -> str:
        """The scenario's name for people: in English its ``title_en:`` when given, else
        its ``title:``, else the file name. ``lang`` defaults to the language in use."""
        english = (lang or current_language()) == "en" and self.params.title_en
        return english or self.params.title or self.name

    def question_in(self, lang: str | None = None) -> str:
        """The question the scenario answers (``question_en:`` in English when given),
        else its description, else empty."""
        english = (lang or current_language()) == "en" and self.params.question_en
        return english or self.params.question or self.params.description or ""

    def resolved_yaml(self) -> str:
        return dump_yaml(self.resolved)

    def sha256(self) -> str:
        return hashlib.sha256(self.resolved_yaml().encode("utf-8")).hexdigest()

    def with_overrides(self, overrides: "list[str] | tuple[str, ...]") -> "LoadedScenario":
        if not overrides:
            return self
        data = apply_overrides(self.resolved, overrides, source="--set")
        data = mark_rules_before_start(data, self.resolved)  # --set takes effect at the start
        params = validate(data, {}, "--set")
        return LoadedScenario(params, self.name, self.path, self.files,
                              tuple(self.overrides) + tuple(overrides), data)


def dump_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


# ------------------------------------------------------------------------ YAML reading
def _read_yaml(path: Path, doc: YamlDoc | None = None) -> tuple[dict, dict[tuple, Where]]:
    """Parse one file (through the guarded :func:`titlesim.yamlfile.read_yaml`), unless
    ``doc`` is the file already read; return its data and the line of every key path."""
    doc = doc if doc is not None else read_yaml(path, "scenario")
    data = doc.data
    if data is None:
        raise InputError(Problem("the file is empty", file=str(path), line=1, expected=(
            "key: value lines, or extends: BASE.yaml and the changes")))
    if not isinstance(data, dict):
        raise InputError(Problem("a scenario must be a mapping of keys to values",
                                 file=str(path), line=1, expected="key: value lines"))
    return data, {key: (doc.file, line) for key, line in doc.lines.items()}


# keys that describe one file, not inherited through ``extends:``
OWN_KEYS = WORDS


def deep_merge(base: dict, change: dict) -> dict:
    """Mappings merge key by key; anything else in ``change`` replaces."""
    merged = dict(base)
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _load_chain(path: Path, seen: tuple[Path, ...],
                doc: YamlDoc | None = None) -> tuple[dict, dict, tuple[Path, ...], dict]:
    """The scenario at ``path`` merged over the chain it extends, the line of every key,
    the chain's files (``path``'s first) and the data of the chain's root as its file
    gives them (each file read once; nothing returned is changed afterwards)."""
    real = path.resolve()  # for cycles and the chain; messages show the path as given
    data, lines = _read_yaml(path, doc)
    _anchor_roster(data, path)
    base_ref = data.pop("extends", None)
    if base_ref is None:
        return data, lines, (real,), data
    line = lines.get(("extends",), (None, None))[1]
    if not isinstance(base_ref, str) or not base_ref.strip():
        raise InputError(Problem("extends must name a scenario file", file=str(path),
                                 key="extends", line=line, expected="a path relative to this file"))
    base_path = (path.parent / base_ref)
    if not base_path.exists():
        raise InputError(Problem(f"the scenario it extends, '{base_ref}', does not exist "
                                 f"(looked for {base_path})", file=str(path), key="extends",
                                 line=line))
    if base_path.resolve() in seen + (real,):
        cycle = " -> ".join(str(p) for p in seen + (real, base_path.resolve()))
        raise InputError(Problem(f"extends forms a cycle: {cycle}", file=str(path),
                                 key="extends", line=line))
    base_data, base_lines, chain, root = _load_chain(base_path, seen + (real,))
    # a revision's name and question are its own: it never inherits its base's
    base_data = {k: v for k, v in base_data.items() if k not in OWN_KEYS}
    merged_lines = dict(base_lines)
    merged_lines.update(lines)
    return deep_merge(base_data, data), merged_lines, (real,) + chain, root


def _anchor_roster(data: dict, path: Path) -> None:
    """``population.roster`` is written relative to the scenario file that names it, but
    the engine (``setup.prepare``) sees only the parameters: make it absolute here, in
    the file that states it, so that a revision extending that file finds the same roster."""
    population = data.get("population")
    roster = population.get("roster") if isinstance(population, dict) else None
    if isinstance(roster, str) and roster.strip() and not Path(roster).is_absolute():
        population["roster"] = str((path.parent / roster).resolve())


# --------------------------------------------------------------------------- overrides
def parse_override(text: str) -> tuple[list[str], Any]:
    if "=" not in text:
        raise InputError(Problem(f"--set {text!r}: expected KEY.PATH=VALUE", key="--set"))
    key, _, value = text.partition("=")
    key = key.strip()
    if not key or any(not part for part in key.split(".")):
        raise InputError(Problem(f"--set {text!r}: the key path is empty or has an empty part",
                                 key="--set", expected="KEY.PATH=VALUE, e.g. passline.ratio=0.6"))
    parsed = parse_value(value, key) if value.strip() else None
    return key.split("."), parsed


def apply_overrides(data: dict, overrides, source: str = "--set") -> dict:
    data = deep_merge(data, {})
    for text in overrides:
        parts, value = parse_override(text)
        node = data
        for i, part in enumerate(parts[:-1]):
            if not isinstance(node.get(part), dict):
                if part not in node:
                    _unknown_key(node, part, ".".join(parts[: i + 1]), source)
                raise InputError(Problem(f"{'.'.join(parts[: i + 1])} is not a mapping, so "
                                         f"'{'.'.join(parts)}' cannot be set", file=source))
            node[part] = dict(node[part])
            node = node[part]
        if parts[-1] not in node and not _is_open_table(parts) and \
                parts[-1] not in _known_fields(tuple(parts[:-1])):  # an optional key the file leaves out
            _unknown_key(node, parts[-1], ".".join(parts), source)
        if isinstance(value, dict) and isinstance(node.get(parts[-1]), dict):
            node[parts[-1]] = deep_merge(node[parts[-1]], value)
        else:
            node[parts[-1]] = value
    return data


def _is_open_table(parts: list[str]) -> bool:
    """Tables whose keys the user chooses (``dict[str, ...]`` in the schema: counties,
    unit types, specialties of a series ...) accept new keys."""
    node: Any = Scenario
    for part in parts[:-1]:
        if isinstance(node, type) and issubclass(node, BaseModel):
            info = node.model_fields.get(part)
            if info is None:
                return False
            node = info.annotation
        elif typing.get_origin(node) is dict:
            node = typing.get_args(node)[1]
        else:
            return False
    return typing.get_origin(node) is dict and typing.get_args(node)[0] is str


def _unknown_key(node: dict, key: str, path: str, source: str):
    close = difflib.get_close_matches(key, [str(k) for k in node], n=1)
    hint = f"did you mean '{'.'.join(path.split('.')[:-1] + [close[0]])}'?" if close else None
    raise InputError(Problem(f"unknown key '{path}'", file=source, key=path, hint=hint,
                             expected="one of " + ", ".join(map(str, node)) if node else None))


# -------------------------------------------------------------------------- validation
def validate(data: dict, lines: dict[tuple, Where], default_file: str) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(_problems(exc, lines, default_file)) from None


# pydantic's kinds of a number out of its range
BOUNDS = ("greater_than_equal", "less_than_equal", "greater_than", "less_than")


def _problems(exc: ValidationError, lines, default_file) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # pydantic adds the union member or literal tag to some locs; keep the data path
        loc = tuple(p for p in loc if p not in ("int", "float", "str", "bool", "none", "list", "dict"))
        # a model validator's KeyProblem names the key below the model it is about
        loc += getattr(err.get("ctx", {}).get("error"), "path", ())
        key = ".".join(str(p) for p in loc) or "(top level)"
        file, line = default_file, None
        for cut in range(len(loc), 0, -1):
            if loc[:cut] in lines:
                file, line = lines[loc[:cut]]
                break
        kind = err["type"]
        hint = expected = None
        if kind == "extra_forbidden":
            message = f"unknown key '{loc[-1]}'"
            known = _known_fields(loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            if close:
                hint = f"did you mean '{close[0]}'?"
            elif known:
                expected = "one of " + ", ".join(known)
        elif kind == "missing":
            message = "required key is missing"
        else:
            message = _pydantic_message(err)
            if loc == ("seed",) and kind in BOUNDS:  # the range in words, as --seed says it
                message = "Input should be from 0 to 2^63 - 1"
            if kind == "literal_error":
                options = err.get("ctx", {}).get("expected", "")
                close = difflib.get_close_matches(str(err.get("input")), [o.strip(" '") for o in
                                                  str(options).replace(" or ", ",").split(",")], n=1)
                if close:
                    hint = f"did you mean '{close[0]}'?"
            message += f", got {err.get('input')!r}" if not isinstance(err.get("input"), dict) and \
                not (kind == "model_type" and isinstance(err.get("input"), list)) else ""
            if isinstance(err.get("input"), str) and "：" in err["input"]:  # ratio： 0.6
                from titlesim.i18n import msg
                hint = msg("value_has_full_width_colon")
        # the key is as the base file states it: the revision that extends it made it
        # inconsistent (docs/revisions.md), so the revision is named too
        if file not in (default_file, "--set") and lines and hint is None:
            hint = f"found in the scenario as {default_file} extends it"
        problems.append(Problem(message, file=file, key=key, line=line, expected=expected, hint=hint))
    # one error per key path is enough (unions report every member)
    unique, seen = [], set()
    for p in problems:
        if p.key not in seen:
            unique.append(p)
            seen.add(p.key)
    return unique


def _pydantic_message(err: dict) -> str:
    """Pydantic's sentence, without the detail after its comma ("Input should be a valid
    number, unable to parse string as a number"), and a choice as "one of 'a', 'b'": the
    sentences the message catalogue reads back in Chinese (``problem:input_should_be_*``)."""
    kind, text = err["type"], err["msg"].removeprefix("Value error, ")
    if kind == "model_type":  # "... or instance of PassLine": the class is no word of the user's
        return "Input should be a valid dictionary"
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        return "Input should be one of " + ", ".join(repr(o) for o in options)
    if kind.endswith("_parsing") or kind in ("int_from_float", "bool_type"):
        return text.split(", ")[0]
    return text


def _known_fields(loc: tuple) -> list[str]:
    model: Any = Scenario
    for part in loc:
        if isinstance(model, type) and issubclass(model, BaseModel):
            field_info = model.model_fields.get(str(part))
            if field_info is None:
                return []
            model = _model_of(field_info.annotation)
        else:
            model = _model_of(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _model_of(annotation):
    import typing
    args = typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) is dict and args:
        return args[1]
    for a in args:
        m = _model_of(a)
        if isinstance(m, type) and issubclass(m, BaseModel):
            return m
    return annotation


def load_scenario(path, overrides=(), doc: YamlDoc | None = None) -> LoadedScenario:
    """Read, merge and validate a scenario file (``doc``: the file already read, used
    once: its data are changed).

    >>> s = load_scenario("scenarios/baseline-2022.yaml", overrides=["passline.ratio=0.6"])
    >>> s.params.passline.ratio
    0.6
    """
    path = Path(path)
    data, lines, chain, root = _load_chain(path, (), doc)
    base = root if len(chain) > 1 else data  # the rules a revision's history runs under
    if overrides:  # (apply_overrides copies what it changes: ``data`` stays as the files give it)
        data = apply_overrides(data, list(overrides))
        lines = _mark_overridden(lines, overrides)
    if len(chain) > 1 or overrides:  # a revision takes effect at the start: its history is the base's
        data = mark_rules_before_start(data, base)
    params = validate(data, lines, str(path))
    _check_roster(params, lines, str(path))
    name = path.stem
    return LoadedScenario(params, name, path, chain, tuple(overrides), data)


def _check_roster(params: Scenario, lines: dict[tuple, Where], default_file: str) -> None:
    """A roster the scenario names must be there, and a salt for its hashed person ids
    must be given (in the scenario or the environment): said at the key that names the
    roster, in the file that states it (the roster's own problems are its reader's)."""
    roster = params.population.roster
    if not roster:
        return
    file, line = lines.get(("population", "roster"), (default_file, None))
    if not Path(roster).exists():
        raise InputError(Problem(f"the roster file it names does not exist (looked for {roster})",
                                 file=file, key="population.roster", line=line,
                                 expected="a roster file (.csv or .xlsx), its path relative to this file"))
    from titlesim.roster.privacy import given_salt, missing_salt
    if not given_salt(params):
        raise InputError(missing_salt(file, line))


def _mark_overridden(lines: dict[tuple, Where], overrides) -> dict[tuple, Where]:
    """A value given by --set is reported as from --set, not at the line it replaced."""
    marked = dict(lines)
    for text in overrides:
        parts = tuple(parse_override(text)[0])
        for key in [k for k in marked if k[:len(parts)] == parts]:
            del marked[key]
        marked[parts] = ("--set", None)
    return marked


def scenario_from_dict(data: dict, name: str = "scenario") -> LoadedScenario:
    return LoadedScenario(validate(data, {}, name), name, None, (), (), data)

"""What a report is made from: the scenarios (base first), seed, replicates, language and
the ``--set`` overrides, either from the command line or from an earlier report's
``provenance.json`` (its resolved scenario content, so a changed or moved scenario file
does not change the re-created report)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from titlesim.errors import InputError, Problem
from titlesim.labels import LANGUAGES
from titlesim.runfolder import safe_component
from titlesim.scenario import LoadedScenario, load_scenario
from titlesim.scenario.loader import scenario_from_dict


@dataclass
class Request:
    scenario: LoadedScenario
    revisions: list[LoadedScenario] = field(default_factory=list)
    replicates: int | None = None
    seed: int | None = None
    lang: str = "zh"
    overrides: tuple[str, ...] = ()
    command: str | None = None
    recreated_from: str | None = None
    subject: str | None = None  # the scenario the report is of (a revision), None: the first

    def __post_init__(self):
        safe_component(self.scenario.name)
        p = self.scenario.params
        self.replicates = p.replicates if self.replicates is None else self.replicates
        self.seed = p.seed if self.seed is None else self.seed

    @property
    def name(self) -> str:
        return self.subject or self.scenario.name

    def title(self, lang: str | None = None) -> str:
        """The title of the scenario the report is of, as people know it."""
        subject = next((s for s in self.scenarios if s.name == self.name), self.scenario)
        return subject.title_in(lang or self.lang)

    @property
    def scenarios(self) -> list[LoadedScenario]:
        return [self.scenario, *self.revisions]

    def short_hash(self) -> str:
        """The same for the same inputs: resolved scenarios, seed, replicates, language."""
        key = json.dumps([[s.sha256() for s in self.scenarios], self.seed, self.replicates,
                          self.lang])
        return hashlib.sha256(key.encode()).hexdigest()[:8]

    def notebook_parameters(self, folder: Path) -> dict:
        """The values for the template's ``parameters`` cell. A scenario known only by its
        content (re-created from provenance) is written to ``folder/inputs/<n>/<name>.yaml``
        first; its overrides are already in that content."""
        paths = []
        for i, s in enumerate(self.scenarios):
            if s.path is None:
                target = folder / "inputs" / str(i) / f"{safe_component(s.name)}.yaml"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(s.resolved_yaml(), encoding="utf-8")
                paths.append(str(target.resolve()))
            else:
                paths.append(str(Path(s.path).resolve()))
        overrides = [] if self.scenario.path is None else list(self.overrides)
        return {"scenario": paths[0], "revisions": paths[1:], "overrides": overrides,
                "replicates": self.replicates, "seed": self.seed, "lang": self.lang,
                "subject": self.subject, "output_dir": str(Path(folder).resolve())}


def from_command(scenario: Path, revisions=(), overrides=(), replicates=None, seed=None,
                 lang: str = "zh", command: str | None = None) -> Request:
    """Load (and so validate) every scenario before anything is run or written. A plan
    file (``titlesim plan``'s plan.yaml) alone is reported against the base it extends."""
    pair = None
    if not revisions:
        from titlesim.plan.revision import plan_and_base
        pair = plan_and_base(scenario, overrides)
    if pair is not None:  # the report is of the plan, filed under its name
        return Request(pair[0], [pair[1]], replicates, seed, lang, tuple(overrides), command,
                       subject=pair[1].name)
    base = load_scenario(scenario, list(overrides))
    loaded = [load_scenario(r, list(overrides)) for r in revisions]
    revised = None if revisions else revised_scenario(base, overrides)
    if revised is not None:  # a revision alone: compared with the scenario it revises
        return Request(revised, [base], replicates, seed, lang, tuple(overrides), command,
                       subject=base.name)
    return Request(base, loaded, replicates, seed, lang, tuple(overrides), command)


def revised_scenario(loaded: LoadedScenario, overrides=()) -> LoadedScenario | None:
    """The scenario ``loaded`` extends, when it is a revision that can be compared with it
    (same horizon and workforce); None for a scenario of its own."""
    from titlesim.compare.diff import check_comparable
    if len(loaded.files) < 2:
        return None
    base = load_scenario(loaded.files[1], list(overrides))
    try:
        check_comparable(base, loaded)
    except InputError:
        return None
    return base


def from_provenance(path: Path, lang: str | None = None, command: str | None = None) -> Request:
    """The request recorded in a report's ``provenance.json``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(Problem("file not found", file=str(path))) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(Problem(f"not a provenance file (not JSON: {exc})", file=str(path))) from None
    if not isinstance(data, dict) or data.get("kind") != "report":
        raise InputError(Problem("not the provenance.json of a report", file=str(path),
                                 expected='a file written by titlesim report ("kind": "report")'))
    for key in ("scenarios", "seed", "replicates"):
        if key not in data:
            raise InputError(Problem("missing", file=str(path), key=key))
    loaded = []
    for i, entry in enumerate(data["scenarios"]):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not isinstance(entry.get("resolved"), dict):
            raise InputError(Problem("each scenario needs a name and its resolved content",
                                     file=str(path), key=f"scenarios.{i}"))
        safe_component(name)
        loaded.append(scenario_from_dict(entry["resolved"], name))
    if not loaded:
        raise InputError(Problem("no scenario recorded", file=str(path), key="scenarios"))
    lang = lang or data.get("lang", "zh")
    if lang not in LANGUAGES:
        raise InputError(Problem(f"unknown language {lang!r}", file=str(path), key="lang",
                                 expected=" or ".join(LANGUAGES)))
    subject = data.get("subject")
    return Request(loaded[0], loaded[1:], int(data["replicates"]), int(data["seed"]), lang,
                   (), command, str(path),
                   subject if subject in {s.name for s in loaded[1:]} else None)


def scenario_record(s: LoadedScenario, role: str) -> dict:
    """A scenario as provenance keeps it: files with their sha256, resolved content."""
    from titlesim.runs import file_sha256
    return {"name": s.name, "role": role, "path": str(s.path) if s.path else None,
            "files": {str(p): file_sha256(p) for p in s.files},
            "overrides": list(s.overrides), "sha256": s.sha256(), "resolved": s.resolved}

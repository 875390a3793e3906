"""environment.yml (conda) lists the same packages as pyproject.toml, the one source of
dependencies: its dependencies and every extra (the features' and the test one)."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
# PyPI name -> conda-forge name, where they differ (after lower case and '_' -> '-')
CONDA_NAMES = {"matplotlib": "matplotlib-base"}
CONDA_ONLY = {"python", "pip"}  # the interpreter and installer, not project dependencies


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_requirements() -> dict[str, str]:
    """Each package name as conda-forge calls it, with its version specifier ('' for an
    extra's packages: ``dask[distributed]>=2024.1`` gives dask>=2024.1 and distributed)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted: dict[str, str] = {}
    extras = [text for group in project["optional-dependencies"].values() for text in group]
    for text in project["dependencies"] + extras:
        req = Requirement(text)
        if normalise(req.name) == "titlesim":  # the "all" extra names the others
            continue
        name = normalise(req.name)
        wanted[CONDA_NAMES.get(name, name)] = str(req.specifier)
        for extra in req.extras:
            wanted.setdefault(CONDA_NAMES.get(normalise(extra), normalise(extra)), "")
    return wanted


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def environment_requirements() -> dict[str, str]:
    """Package name -> version specifier of the conda and the pip packages (``-e .``,
    the project itself, is left out)."""
    found: dict[str, str] = {}
    for item in environment()["dependencies"]:
        specs = item["pip"] if isinstance(item, dict) else [item]
        for spec in specs:
            if spec.startswith("-"):
                continue
            name, version = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec.split("::")[-1]).groups()
            found[normalise(name)] = version.replace(" ", "")
    return found


def test_the_same_packages_in_both_files():
    wanted, listed = pyproject_requirements(), environment_requirements()
    assert set(listed) - CONDA_ONLY == set(wanted)


def test_the_same_minimum_versions_in_both_files():
    wanted, listed = pyproject_requirements(), environment_requirements()
    assert {n: listed.get(n) for n, spec in wanted.items() if spec} == \
        {n: spec for n, spec in wanted.items() if spec}


def test_the_environment_is_named_uses_conda_forge_and_the_python_of_pyproject():
    env = environment()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (env["name"], env["channels"]) == ("titlesim", ["conda-forge"])
    assert environment_requirements()["python"] == project["requires-python"]
    pip = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    assert "-e ." in pip  # the project itself, editable

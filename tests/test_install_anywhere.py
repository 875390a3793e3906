"""The built wheel installed in a fresh environment, outside any checkout, makes a working
folder with `titlesim init` and runs `run` and `report` from it (package data found through
importlib.resources, not the checkout)."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SMALL = ["--set", "population.size=1500", "--set", "horizon.years=2", "--replicates", "2"]


def uv(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "uv", *args], check=True, capture_output=True,
                          text=True, **kwargs)


def test_the_repository_holds_no_links():
    """A link (git mode 120000) breaks on a Windows checkout and in some zip tools: the
    shipped files are copied into the wheel by its build instead (setup.py)."""
    listed = subprocess.run(["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.splitlines()
    assert len(listed) > 100
    links = [line.split("\t", 1)[1] for line in listed if line.startswith("120000")]
    assert links == []
    on_disk = [p for p in (ROOT / "titlesim").rglob("*") if p.is_symlink()]
    assert on_disk == []


def test_a_checkout_uses_its_own_top_level_folders():
    from titlesim.workfolder import report_template, shipped_path
    assert shipped_path() == ROOT
    assert report_template() == ROOT / "notebooks" / "report.ipynb"


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_runs_init_run_and_report(tmp_path):
    uv("build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(ROOT))
    wheel, = (tmp_path / "dist").glob("titlesim-*.whl")
    with zipfile.ZipFile(wheel) as packed:
        names = set(packed.namelist())
    for part in ("scenarios", "notebooks", "examples"):  # every shipped file, as a plain file
        shipped = {f"titlesim/shipped/{p.relative_to(ROOT).as_posix()}"
                   for p in (ROOT / part).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
        assert shipped <= names, sorted(shipped - names)
    venv = tmp_path / "venv"
    uv("venv", "-q", "--python", sys.executable, str(venv))
    # the core dependencies only: run and report need no extra
    uv("pip", "install", "-q", "--offline", "--python", str(venv / "bin/python"), str(wheel))

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    # PYTHONDONTWRITEBYTECODE out too: the fresh venv holds no bytecode, and with it every
    # command (and the report's kernel) would compile numpy, pandas, matplotlib … afresh;
    # without it the first command keeps what it compiled for the next (a third of the
    # roster check's CPU, a quarter of the report's)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE")}
    env["TITLESIM_LANG"] = "zh"

    def titlesim(*args, cwd):
        return subprocess.run([str(venv / "bin/titlesim"), *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=600)

    where = subprocess.run([str(venv / "bin/python"), "-c", "import titlesim; print(titlesim.__file__)"],
                           cwd=outside, env=env, capture_output=True, text=True, check=True).stdout
    assert str(venv) in where and str(ROOT) not in where

    made = titlesim("init", "工作目录", cwd=outside)
    assert made.returncode == 0, made.stderr
    assert "已建立工作目录" in made.stdout
    folder = outside / "工作目录"
    for name in ("scenarios/baseline-2022.yaml", "scenarios/grassroots-ratio-0.6.yaml",
                 "notebooks/whatif.ipynb", "examples/synthetic-roster.csv"):
        assert (folder / name).is_file(), name
    assert (folder / "reports").is_dir()

    (folder / "scenarios/baseline-2022.yaml").write_text(
        (folder / "scenarios/baseline-2022.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    again = titlesim("init", "工作目录", cwd=outside)
    assert again.returncode == 0 and "保持原样" in again.stdout

    ran = titlesim("run", "scenarios/baseline-2022.yaml", *SMALL, cwd=folder)
    assert ran.returncode == 0, ran.stderr
    run_dir = folder / ran.stdout.strip().splitlines()[-1]
    assert (run_dir / "metrics.csv").stat().st_size > 0

    report = titlesim("report", "scenarios/baseline-2022.yaml", *SMALL, cwd=folder)
    assert report.returncode == 0, report.stderr
    html = folder / report.stdout.strip().splitlines()[-1]
    assert html.name == "report.html" and html.is_file()
    assert (html.parent / "tables.xlsx").is_file()
    provenance = json.loads((html.parent / "provenance.json").read_text(encoding="utf-8"))
    assert str(venv) in provenance["template"]["path"]

    # a feature whose extra is not installed says which one to install, without a traceback
    roster = titlesim("roster", "check", "examples/synthetic-roster.csv", cwd=folder)
    assert roster.returncode == 2 and 'pip install "titlesim[roster]"' in roster.stderr
    assert "Traceback" not in roster.stderr

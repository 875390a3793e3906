"""Shared by the roster, calibration and export tests: a small roster written by hand, the
synthetic examples, and the command line (run in this process)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "baseline-2022.yaml"
EXAMPLES = REPO / "examples"
EXAMPLE_SCENARIO = EXAMPLES / "synthetic-roster.yaml"
EXAMPLE_ROSTER = EXAMPLES / "synthetic-roster.csv"
EXAMPLE_OBSERVED = EXAMPLES / "synthetic-observed.csv"

HEADER = "姓名,身份证号,单位,县市区,单位类型,专业,现职称,取得时间,学历,出生年月,性别"
# Six people in three units, as a bureau writes them (labels, not codes). Under the baseline
# (start 2022) 王一 is 36 at the end of 2021 and has held 中级 for 6 years.
ROWS = [
    "王一,140902198507010011,忻府区乡镇卫生院甲,忻府区,乡镇卫生院,内科,中级,2015-07,本科,1985-07,男",
    "李二,140902199003020022,忻府区乡镇卫生院甲,忻府区,乡镇卫生院,护理,初级,2013年9月,大专,1990年3月,女",
    "张三,140981197812030033,原平市县级医院乙,原平市,县级医院,外科,副高级,2016,硕士,197812,男",
    "赵四,140981198204040044,原平市县级医院乙,原平市,县级医院,内科,主治医师,2012/7/1,本科,1982.04,女",
    "钱五,140923198811050055,代县农村中小学丙,代县,农村中小学,数学,中级,2017-09,本科,1988-11,女",
    "孙六,140923199506060066,代县农村中小学丙,代县,农村中小学,语文,初级,,大专,1995-06,男",
]
NAMES = [r.split(",")[0] for r in ROWS]
ID_NUMBERS = [r.split(",")[1] for r in ROWS]


def roster_text(rows=ROWS, header=HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def with_cell(row: int, column: str, value: str, rows=ROWS) -> list[str]:
    """The rows with one cell changed; ``row`` is the spreadsheet row (data start at 2)."""
    index = HEADER.split(",").index(column)
    out = [r.split(",") for r in rows]
    out[row - 2][index] = value
    return [",".join(r) for r in out]


def _environment(env: dict | None) -> dict:
    # the English wording is checked here; the Chinese in test_cli_language.py
    environment = dict(os.environ, PYTHONPATH=str(REPO), TITLESIM_LANG="en")
    environment.pop("TITLESIM_ROSTER_SALT", None)  # the salt comes from the test, if at all
    environment.update(env or {})
    return environment


def titlesim(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    from conftest import run_titlesim
    return run_titlesim(*args, cwd=cwd, env=_environment(env))


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def scenario_with_roster(folder: Path, roster_name: str, extra: str = "") -> Path:
    """A revision of the baseline whose roster sits beside it (relative path)."""
    path = folder / "bureau.yaml"
    path.write_text(f"extends: {os.path.relpath(BASELINE, folder)}\n"
                    f"population:\n  roster: {roster_name}\n  roster_salt: test-salt\n{extra}",
                    encoding="utf-8")
    return path

"""The README's parameter table is the current baseline's, and its commands exist."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_parameter_table_is_current():
    table = subprocess.run([sys.executable, "-m", "titlesim.paramdoc",
                            str(ROOT / "scenarios/baseline-2022.yaml")],
                           capture_output=True, text=True, check=True, cwd=ROOT).stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    between = readme.split("<!-- parameters:start -->\n")[1].split("<!-- parameters:end -->")[0]
    assert between == table, "README parameter table is stale: regenerate it with titlesim.paramdoc"


def test_two_commands_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for script in ("scripts/main.sh", "scripts/test.sh"):
        assert f"bash {script}" in readme
        assert (ROOT / script).exists()
    ci = (ROOT / ".ci/run").read_text()
    assert "scripts/test.sh" in ci

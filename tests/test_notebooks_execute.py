"""Both widget notebooks run cleanly under Papermill, each showing its view (a widget)."""
from __future__ import annotations

import json
import os
import shutil
import time

import papermill
import pytest
from ui_scenarios import BASELINE, ROOT, small_scenario

NOTEBOOKS = ROOT / "notebooks"
WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(autouse=True)
def no_environment_overrides(monkeypatch):
    for name in ("TITLESIM_WHATIF_SCENARIO", "TITLESIM_WHATIF_SET", "TITLESIM_LANG"):
        monkeypatch.delenv(name, raising=False)


def run(name: str, tmp_path, parameters: dict) -> dict:
    """The executed notebook; a failure says what the kernel said (the error, the cells'
    output so far), how long it ran, and how busy the machine was."""
    out = tmp_path / name
    started = time.monotonic()
    try:
        # start_timeout: the kernel may take over papermill's default 60 s to start while the
        # other test worker keeps both cores busy
        papermill.execute_notebook(str(NOTEBOOKS / name), str(out), parameters=parameters,
                                   kernel_name="python3", cwd=str(NOTEBOOKS), progress_bar=False,
                                   start_timeout=300)
    except papermill.PapermillExecutionError:
        raise  # says which cell failed and its traceback
    except Exception as exc:
        shown = outputs(json.loads(out.read_text(encoding="utf-8"))) if out.exists() else []
        raise AssertionError(
            f"{name} failed after {time.monotonic() - started:.0f} s at load average "
            f"{os.getloadavg()[0]:.1f}: {type(exc).__name__}: {exc}\noutputs so far: "
            f"{json.dumps(shown, ensure_ascii=False)[:2000]}") from exc
    return json.loads(out.read_text(encoding="utf-8"))


def outputs(notebook: dict) -> list[dict]:
    return [o for cell in notebook["cells"] if cell["cell_type"] == "code" for o in cell["outputs"]]


@pytest.mark.parametrize("name", ["whatif.ipynb", "compare.ipynb", "plan.ipynb"])
def test_the_notebook_is_thin_and_has_a_parameters_cell(name):
    notebook = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"]["tags"]
    assert sum(len("".join(c["source"]).splitlines()) for c in code[1:]) <= 5
    assert all(not c.get("outputs") for c in code)  # saved without outputs


def test_whatif_runs_and_shows_its_view_with_its_first_results_already_in_it(tmp_path):
    scenario = small_scenario(tmp_path)
    notebook = run("whatif.ipynb", tmp_path, {"scenario": str(scenario)})  # as a page runs it
    shown = outputs(notebook)
    assert not [o for o in shown if o["output_type"] == "error"], shown
    assert any(WIDGET in o.get("data", {}) for o in shown), shown
    # what a browser loads once the notebook has run (the widgets' state) already shows the
    # full results: a change made while it loads them could be lost (titlesim.ui.whatif_app)
    state = notebook["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    values = [str(m["state"].get("value", "")) for m in state.values()]
    assert any("titlesim-state" in v and "data-state='full'" in v for v in values), \
        [v for v in values if "titlesim-state" in v]


def test_compare_runs_a_comparison_and_shows_its_view(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(BASELINE, folder)
    (folder / "ratio-0.7.yaml").write_text("extends: baseline-2022.yaml\npassline: {ratio: 0.7}\n",
                                           encoding="utf-8")
    notebook = run("compare.ipynb", tmp_path, {
        "folder": str(folder), "revisions": ["ratio-0.7.yaml"], "replicates": 2, "run": True,
        "overrides": ["population.size=2000", "horizon.years=2"]})
    shown = outputs(notebook)
    assert not [o for o in shown if o["output_type"] == "error"], shown
    assert any(WIDGET in o.get("data", {}) for o in shown), shown


def test_a_refused_comparison_fails_the_notebook(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="at least one revision"):
        run("compare.ipynb", tmp_path, {"folder": str(NOTEBOOKS.parent / "scenarios"), "run": True,
                                        "lang": "en"})


def test_plan_runs_a_plan_and_shows_its_view(tmp_path):
    scenario = small_scenario(tmp_path)
    notebook = run("plan.ipynb", tmp_path, {
        "scenario": str(scenario), "levers": ["validity.ratio_only_years=1:2"],
        "targets": ["titled >= 1"], "replicates": 2, "run": True})
    shown = outputs(notebook)
    assert not [o for o in shown if o["output_type"] == "error"], shown
    assert any(WIDGET in o.get("data", {}) for o in shown), shown

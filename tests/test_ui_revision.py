"""The save button: a revision YAML that extends the loaded scenario, states only what
changed, says who/what/when, passes ``titlesim validate``, reproduces the figures shown,
and never overwrites a file."""
from __future__ import annotations

import getpass

import pytest
import yaml
from conftest import run_titlesim
from ui_scenarios import small_scenario

import titlesim
from titlesim.errors import InputError
from titlesim.ui.panels import format_count
from titlesim.ui.runner import Runner
from titlesim.ui.whatif import WhatIf


@pytest.fixture
def app(tmp_path):
    view = WhatIf(titlesim.load_scenario(small_scenario(tmp_path)), runner=Runner()).wait()
    yield view
    view.close()


def test_saved_revision_states_only_the_changes_and_reproduces_the_figures(app, tmp_path):
    app.set("passline.ratio", 0.7)
    app.set("validity.ratio_only_years", 2)
    app.set("posts.structure.township_health_centre.deputy_senior", 0.12)
    app.wait()
    app.save_name.value = "ratio-0.7"
    app.save_button.click()
    path = tmp_path / "scenarios" / "ratio-0.7.yaml"
    assert app.saved == path and "ratio-0.7.yaml" in app.message.value
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data == {"extends": "small.yaml", "passline": {"ratio": 0.7},
                    "validity": {"ratio_only_years": 2},
                    "posts": {"structure": {"township_health_centre": {"deputy_senior": 0.12}}}}
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert comments[0].startswith("# small.yaml 的修订，由“假如……会怎样”页面保存")
    assert f"# 保存人 / who: {getpass.getuser()}" in comments
    assert any(line.startswith("# 时间 / when: 20") for line in comments)
    assert "#   passline.ratio: 0.5 -> 0.7  (基层按比例合格比例 / grassroots pass ratio; 一(三)；取值为假设)" in comments
    check = run_titlesim("validate", path, cwd=tmp_path)
    assert check.returncode == 0 and check.stdout.strip() == f"通过：{path}", check.stderr
    result = titlesim.simulate(titlesim.load_scenario(path))
    for key in ("titled", "passed_ratio_only", "passes_expired_unused"):
        engine = result.total(key).groupby("replicate")["value"].sum().mean()
        assert app.shown.headline(key).value_text == format_count(engine)


def test_an_existing_file_is_never_overwritten(app, tmp_path):
    app.set("passline.ratio", 0.6)
    app.wait()
    first = app.save("mine")
    before = first.read_bytes()
    app.set("passline.ratio", 0.8)
    app.save_name.value = "mine"
    app.save_button.click()
    assert "同名文件已存在" in app.message.value and "未保存" in app.message.value
    assert first.read_bytes() == before
    with pytest.raises(InputError, match="从不覆盖"):
        app.save("mine.yaml")
    assert sorted(p.name for p in first.parent.iterdir()) == ["baseline-2022.yaml", "mine.yaml", "small.yaml"]


def test_nothing_to_save_and_bad_names_are_refused_and_nothing_is_written(app, tmp_path):
    with pytest.raises(InputError, match="没有改动"):
        app.save("same")
    app.save_button.click()
    assert "与原情景相比没有改动" in app.message.value
    app.set("passline.ratio", 0.6)
    for bad in ("../escape", ".hidden", ""):
        with pytest.raises(InputError, match="不能使用"):
            app.save(bad)
    assert sorted(p.name for p in (tmp_path / "scenarios").iterdir()) == ["baseline-2022.yaml", "small.yaml"]
    assert not (tmp_path / "escape.yaml").exists()


def test_a_revision_of_a_scenario_opened_with_overrides_keeps_them(tmp_path):
    base = small_scenario(tmp_path)
    view = WhatIf(titlesim.load_scenario(base, ["population.size=2000"]), runner=Runner()).wait()
    try:
        view.set("validity.years", 2)
        path = view.save("smaller")
    finally:
        view.close()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["population"] == {"size": 2000} and data["validity"] == {"years": 2}
    assert titlesim.load_scenario(path).resolved == view.current.resolved


def test_title_and_question_are_saved_and_a_chinese_name_with_spaces_is_accepted(app, tmp_path):
    app.set("passline.ratio", 0.6)
    app.wait()
    app.save_name.value = "基层 比例 0.6"
    app.save_title.value = "基层比例合格比例提高到0.6"
    app.save_question.value = "提高比例后，基层取得职称的人会增加多少？"
    app.save_button.click()
    path = tmp_path / "scenarios" / "基层-比例-0.6.yaml"
    assert app.saved == path and "已保存为修订情景 基层-比例-0.6.yaml" in app.message.value
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["title"] == "基层比例合格比例提高到0.6"
    assert data["question"] == "提高比例后，基层取得职称的人会增加多少？"
    loaded = titlesim.load_scenario(path)
    assert loaded.params.title == data["title"] and loaded.params.passline.ratio == 0.6
    assert "titlesim-download" in app.downloads.value and "download='基层-比例-0.6.yaml'" in app.downloads.value


def test_settings_of_a_smaller_trial_from_the_environment_are_never_written(tmp_path):
    from ui_scenarios import BASELINE, SMALL_SET
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    base = scenarios / "baseline-2022.yaml"
    base.write_bytes(BASELINE.read_bytes())
    trial = tuple(SMALL_SET.split(";"))  # as whatif_app passes TITLESIM_WHATIF_SET
    view = WhatIf(titlesim.load_scenario(base, trial), runner=Runner(), trial=trial).wait()
    try:
        view.set("passline.ratio", 0.6)
        view.wait()
        path = view.save("trial")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data == {"extends": "baseline-2022.yaml", "passline": {"ratio": 0.6}}
        compared = run_titlesim("compare", base, path, "--replicates", "2", "--set",
                                "population.size=2000", "--set", "horizon.years=2", "--out",
                                tmp_path / "cmp", "--no-figures", cwd=tmp_path)
        assert compared.returncode == 0, compared.stderr
    finally:
        view.close()


def test_a_message_is_cleared_once_the_controls_change(app):
    app.save_button.click()
    assert "没有改动" in app.message.value
    app.set("passline.ratio", 0.6)
    assert app.message.value == ""


def test_a_post_structure_over_one_is_refused_at_the_slider(app):
    unit = "township_health_centre"
    app.set(f"posts.structure.{unit}.intermediate", 0.99)
    values = app.controls.values
    shares = [values[f"posts.structure.{unit}.{level}"] for level in ("full_senior", "deputy_senior", "intermediate")]
    assert sum(shares) == pytest.approx(1.0)
    assert app.controls.widgets["posts.structure.*.intermediate"].value == shares[2] < 0.99
    assert "不能超过1" in app.message.value and "乡镇卫生院" in app.message.value
    app.wait()
    assert app.shown_scenario.params.posts.structure[unit]["intermediate"] == shares[2]

"""Hunting for tracebacks: generated scenarios, ``--set`` values, grids, score lists and
rosters must each be accepted or refused with a message naming the file, key or row,
never crash (hypothesis). The command line is run in-process (click's runner) on the
same inputs, so an uncaught exception anywhere fails the test."""
from __future__ import annotations

import string

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from titlesim import load_scenario
from titlesim.cli import _register, cli
from titlesim.errors import InputError
from titlesim.roster import read_roster
from titlesim.scorelist import COLUMNS, read_score_list
from titlesim.sweep.grid import load_grid

from conftest import BASELINE

BASE = load_scenario(BASELINE)
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (str(key),))
    yield ".".join(prefix)


KEYS = sorted(p for p in _paths(BASE.resolved) if p)
SPECIAL = st.sampled_from(["nan", ".nan", ".inf", "-.inf", "1.0e+999", "&x [*x]", "~", "",
                           "[" * 50, "{a: 1, a: 2}", "'=cmd|\\' /C calc\\'!A0'", "-1", "0",
                           "1e-300", "20000000", "yes", "是", "2022-01-01", "!!python/object:os.system"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**7),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(string.ascii_lowercase, min_size=1,
                                                           max_size=8), inner, max_size=4)),
    max_leaves=12)


def _nest(path: str, value):
    node = value
    for part in reversed(path.split(".")):
        node = {part: node}
    return node


def _run(*args):
    _register()
    return CliRunner().invoke(cli, list(args), catch_exceptions=True)


def _clean_outcome(result, *named):
    """Exit 0, or exit 2 with a message naming one of ``named``; never an exception."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert any(n in result.output for n in named), result.output


@SETTINGS
@given(changes=st.lists(st.tuples(st.sampled_from(KEYS), values), min_size=1, max_size=4))
@example(changes=[("application", None), ("history", True)])  # a rule changed beside a history
@example(changes=[("passline.ratio", 0.6), ("history", [1, 2])])  # that is not a mapping
@example(changes=[("population.unit_types.economic_unit.series", "")])  # a base key made inconsistent
def test_generated_revisions_are_accepted_or_refused_cleanly(tmp_path_factory, changes):
    folder = tmp_path_factory.mktemp("rev")
    body = {"extends": str(BASELINE)}
    for key, value in changes:
        body.update(_nest(key, value))
    path = folder / "revision.yaml"
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    _clean_outcome(_run("validate", str(path)), str(path))


@SETTINGS
@given(text=st.one_of(st.text(max_size=300), SPECIAL.map(lambda s: f"extends: {BASELINE}\nx: {s}\n")))
def test_any_text_as_a_scenario_is_accepted_or_refused_cleanly(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("txt") / "any.yaml"
    path.write_text(text, encoding="utf-8")
    _clean_outcome(_run("validate", str(path)), str(path))


@SETTINGS
@given(key=st.one_of(st.sampled_from(KEYS), st.text(max_size=20)),
       value=st.one_of(SPECIAL, st.text(max_size=30), st.floats().map(repr)))
def test_any_set_is_accepted_or_refused_naming_the_key(key, value):
    try:
        load_scenario(BASELINE, [f"{key}={value}"])
    except InputError as exc:
        for problem in exc.problems:  # the key set, or the key its value made inconsistent
            assert problem.key, problem


grid_specs = st.one_of(
    st.lists(st.one_of(scalars, SPECIAL), min_size=0, max_size=4),
    st.fixed_dictionaries({"min": st.one_of(scalars, st.floats()), "max": st.one_of(scalars, st.floats())},
                          optional={"step": st.one_of(scalars, st.floats())}),
    scalars)


@SETTINGS
@given(params=st.dictionaries(st.sampled_from(["passline.ratio", "validity.ratio_only_years",
                                               "passline.ties", "seed", "nope.key", "exam.mean_score"]),
                              grid_specs, max_size=3),
       sample=st.one_of(st.none(), st.fixed_dictionaries({"method": st.sampled_from(["lhs", "sobol", "x"]),
                                                          "size": st.integers(-2, 40)})))
def test_generated_grids_are_accepted_or_refused_naming_the_grid(tmp_path_factory, params, sample):
    path = tmp_path_factory.mktemp("grid") / "grid.yaml"
    body = {"parameters": params} | ({"sample": sample} if sample else {})
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    try:
        load_grid(path, BASE)
    except InputError as exc:
        assert all(p.file == str(path) for p in exc.problems), exc


cells = st.one_of(st.text(max_size=12), SPECIAL, st.integers(-5, 3000).map(str),
                  st.sampled_from(["内科", "卫生", "中级", "是", "否", "忻府区", "乡镇卫生院", "缺考", ""]))


@SETTINGS
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=len(COLUMNS) + 1), min_size=0, max_size=6),
       header=st.one_of(st.just(list(COLUMNS)), st.lists(st.sampled_from([*COLUMNS, "备注", ""]),
                                                         max_size=10)),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
def test_generated_score_lists_are_accepted_or_refused_naming_the_row(tmp_path_factory, rows,
                                                                     header, encoding):
    import csv
    import io
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path = tmp_path_factory.mktemp("scores") / "scores.csv"
    try:
        path.write_bytes(buffer.getvalue().encode(encoding))
    except UnicodeEncodeError:
        return
    try:
        read_score_list(path, 100.0)
    except InputError as exc:
        assert all(p.file == str(path) and (p.line is not None or p.key) for p in exc.problems), exc


ROSTER_HEADER = ["姓名", "身份证号", "单位", "县市区", "单位类型", "专业", "现职称", "取得时间",
                 "学历", "出生年月", "性别"]


@SETTINGS
@given(rows=st.lists(st.lists(cells, min_size=len(ROSTER_HEADER), max_size=len(ROSTER_HEADER)),
                     min_size=1, max_size=5))
def test_generated_rosters_are_accepted_or_refused_naming_the_row(tmp_path_factory, rows):
    import csv
    path = tmp_path_factory.mktemp("roster") / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([ROSTER_HEADER, *rows])
    try:
        read_roster(path, BASE.params)
    except InputError as exc:
        assert all(p.file == str(path) for p in exc.problems), exc


@pytest.mark.parametrize("text", ["a: 1\na: 2\n", "x: &x [*x]\n", "[" * 20000, "population: .nan\n"])
def test_validate_refuses_hostile_scenarios_with_exit_2(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = _run("validate", str(path))
    _clean_outcome(result, str(path))
    assert result.exit_code == 2

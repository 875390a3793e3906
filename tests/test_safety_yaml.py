"""The one YAML reader refuses hostile files quickly, naming file, line and key, and never
quotes a file that is not a scenario."""
from __future__ import annotations

import os
import time

import pytest

from titlesim.errors import InputError
from titlesim.i18n import msg
from titlesim.scenario import load_scenario
from titlesim import yamlfile
from titlesim.yamlfile import MAX_DEPTH, REMEMBER_BYTES, REMEMBER_PATHS, parse_value, parse_yaml, read_yaml

from conftest import BASELINE


def problems(path, overrides=()):
    with pytest.raises(InputError) as caught:
        load_scenario(path, overrides)
    return caught.value.problems


def revision(tmp_path, text: str, name: str = "revision.yaml"):
    path = tmp_path / name
    path.write_text(f"extends: {BASELINE}\n{text}", encoding="utf-8")
    return path


def test_a_key_given_twice_is_refused_naming_both_lines(tmp_path):
    path = revision(tmp_path, "passline:\n  ratio: 0.5\n  ratio: 0.7\n")
    [problem] = problems(path)
    assert (problem.file, problem.line, problem.key) == (str(path), 4, "ratio")
    assert problem.message == msg("yaml_duplicate_key", name="ratio", first=3, second=4)


def test_a_section_given_twice_is_refused(tmp_path):
    path = revision(tmp_path, "passline:\n  ratio: 0.5\nvalidity:\n  years: 2\npassline:\n  ties: cap\n")
    [problem] = problems(path)
    assert (problem.line, problem.key) == (6, "passline")


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN", "1.0e+999"])
def test_nan_and_infinity_are_refused_in_a_file_naming_key_and_line(tmp_path, value):
    path = revision(tmp_path, f"population:\n  ability_mean:\n    grassroots: {value}\n")
    [problem] = problems(path)
    assert (problem.line, problem.key) == (4, "population.ability_mean.grassroots")
    assert problem.message == msg("yaml_not_finite")


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "1.0e+999"])
def test_nan_and_infinity_are_refused_in_set(value):
    [problem] = problems(BASELINE, [f"exam.mean_score={value}"])
    assert (problem.file, problem.key) == ("--set", "exam.mean_score")


def test_billion_laughs_is_refused_at_once(tmp_path):
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = revision(tmp_path, "\n".join(rows) + "\n")
    started = time.perf_counter()
    problems(path)
    assert time.perf_counter() - started < 5


def test_a_recursive_alias_is_refused(tmp_path):
    [problem] = problems(revision(tmp_path, "x: &x [*x]\n"))
    assert problem.message == msg("yaml_recursive_alias")


def test_deep_nesting_is_refused_without_exhausting_the_stack(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 20_000 + "]" * 20_000, encoding="utf-8")
    [problem] = problems(path)
    assert problem.message == msg("yaml_too_deep", limit=MAX_DEPTH)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("description: '" + "x" * 5_000_000 + "'\n", encoding="utf-8")
    started = time.perf_counter()
    [problem] = problems(path)
    assert time.perf_counter() - started < 2
    assert problem.file == str(path)


def test_extends_of_a_fifo_a_device_or_another_file_is_refused_without_echo(tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$secrethash:19000:0:99999:7:::\n", encoding="utf-8")
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for target in (secret, fifo, "/dev/zero", tmp_path):
        path = revision(tmp_path, "", name="r.yaml")
        path.write_text(f"extends: {target}\n", encoding="utf-8")
        [problem] = problems(path)
        assert "secrethash" not in str(problem) and "99999" not in str(problem)
        assert problem.file == str(target)


def test_set_values_keep_their_yaml_meaning():
    assert parse_value("0.6", "k") == 0.6
    assert parse_value("[1, 2]", "k") == [1, 2]
    assert parse_value("{not yaml", "k") == "{not yaml"


def test_a_grid_file_goes_through_the_same_reader(tmp_path):
    path = tmp_path / "grid.yaml"
    path.write_text("parameters:\n  passline.ratio: [0.3, 0.4]\n  passline.ratio: [0.5]\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_yaml(path, "grid")
    assert caught.value.problems[0].line == 3


def test_a_file_changed_with_the_same_size_and_time_is_read_as_it_is_now(tmp_path):
    """The parsed texts kept are keyed by the text itself, read every time: a scenario
    corrected in place with as many bytes and its time unchanged is not served as it was,
    and a copy changed by its caller leaves the next reader's data alone."""
    path = tmp_path / "s.yaml"
    path.write_text("passline:\n  ratio: 0.5\n", encoding="utf-8")
    first = read_yaml(path)
    stamp = path.stat().st_mtime_ns
    path.write_text("passline:\n  ratio: 0.6\n", encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))
    assert read_yaml(path).data == {"passline": {"ratio": 0.6}}
    first.data["passline"]["ratio"] = 9
    path.write_text("passline:\n  ratio: 0.5\n", encoding="utf-8")
    assert read_yaml(path).data == {"passline": {"ratio": 0.5}}


def test_a_text_that_names_many_paths_through_merge_keys_is_not_kept():
    """A few KB of merge keys expand to tens of thousands of key paths (megabytes each):
    such a text is parsed each time, not kept; a scenario is kept."""
    keys = "\n".join(f"  k{i}: {i}" for i in range(600))
    text = "base: &a\n" + keys + "\n" + "".join(f"m{j}:\n  <<: *a\n  z: {j}\n" for j in range(40))
    assert len(text) < REMEMBER_BYTES
    doc = parse_yaml(text, "many.yaml")
    assert len(doc.lines) > REMEMBER_PATHS and not kept(text)
    assert doc.data["m3"]["k599"] == 599 and doc.lines[("m3", "z")] == 1 + 600 + 3 * 3 + 3
    scenario = BASELINE.read_text(encoding="utf-8")
    parse_yaml(scenario, "baseline-2022.yaml")
    assert kept(scenario)


def kept(text: str) -> bool:
    return any(key[0] == text for key in yamlfile._parsed)


def test_a_text_kept_under_looser_guards_is_checked_again_under_stricter_ones(monkeypatch):
    text = "a: &x [1, 2, 3]\nb: *x\nc: *x\n"
    assert parse_yaml(text, "kept.yaml").data["c"] == [1, 2, 3] and kept(text)
    monkeypatch.setattr(yamlfile, "MAX_NODES", 5)  # the same text, now past the limit
    with pytest.raises(InputError, match="kept.yaml"):
        parse_yaml(text, "kept.yaml")


def test_a_file_not_in_utf8_is_refused_at_its_line_with_what_to_do(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes(f"extends: {BASELINE}\n".encode() + "description: 基层\n".encode("gbk"))
    [problem] = problems(path)
    assert (problem.file, problem.line) == (str(path), 2)
    assert problem.message == msg("yaml_not_utf8") and "UTF-8" in problem.hint
    assert "第 2 行" in problem.text("zh") and "另存为 UTF-8" in problem.text("zh")


def test_libyaml_reads_every_shipped_scenario_as_pyyamls_own_parser_does():
    # the fast parser is there (PyYAML's wheels carry libyaml) and changes nothing read:
    # the same data and the same line of every key path
    import yaml
    assert yamlfile.FAST_LOADER is yaml.CSafeLoader
    shipped = sorted((BASELINE.parent).glob("*.yaml"))
    assert len(shipped) >= 5
    for path in shipped:
        text = path.read_text(encoding="utf-8")
        fast = yamlfile._parse_with(yaml.CSafeLoader, text, str(path))
        slow = yamlfile._parse_with(yaml.SafeLoader, text, str(path))
        assert (fast.data, fast.lines) == (slow.data, slow.lines), path.name


@pytest.mark.parametrize("text", ["ratio: [0.5, 0.6\n", "passline：\n  ratio: 0.5\n", "a: 'open\n"])
def test_a_text_that_is_not_yaml_is_refused_in_pyyamls_words_translated(text):
    # libyaml refuses it first; the message is the one PyYAML's parser gives, translated
    import yaml
    with pytest.raises(InputError) as fast:
        parse_yaml(text, "x.yaml")
    with pytest.raises(yaml.YAMLError) as slow:
        yamlfile._parse_with(yaml.SafeLoader, text, "x.yaml")
    assert str(fast.value) == str(yamlfile._syntax_error(slow.value, "x.yaml", text))
    assert "did not find" not in str(fast.value) and "while " not in str(fast.value)

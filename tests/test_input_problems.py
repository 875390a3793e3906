"""Bad inputs a new user met: each refused with a clear problem naming the place and
what was expected, exit status 2, no traceback, nothing half-written."""
from __future__ import annotations

from pathlib import Path

from conftest import run_titlesim


def refused(result) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_init_where_a_file_stands_for_a_folder_writes_nothing(tmp_path):
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro" / "scenarios").write_text("", encoding="utf-8")
    text = refused(run_titlesim("init", "ro", cwd=tmp_path))
    assert "ro/scenarios" in text and "这里是一个文件，而工作文件夹需要在此处建立文件夹" in text
    assert sorted(p.name for p in (tmp_path / "ro").iterdir()) == ["scenarios"]
    english = refused(run_titlesim("init", "ro", "--lang", "en", cwd=tmp_path))
    assert "a file is here, where the working folder needs a folder" in english
    assert "rename or move the file, or choose another folder" in english


def test_init_where_no_folder_can_be_made(tmp_path):
    text = refused(run_titlesim("init", "/proc/zz", "--lang", "en", cwd=tmp_path))
    assert "/proc/zz" in text and "cannot write here" in text
    assert not Path("/proc/zz").exists()


def test_excel_unicode_text_a_tab_separated_utf16_file_is_read(tmp_path):
    """Excel's "Unicode 文本" export: UTF-16 with a byte-order mark, tab-separated."""
    from roster_fixtures import roster_text
    text = roster_text().replace(",", "\t").replace("\n", "\r\n")
    (tmp_path / "花名册.txt").write_bytes(text.encode("utf-16"))
    result = run_titlesim("roster", "check", "花名册.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "6 人，3 个单位" in result.stdout
    assert "制表符分隔的文本文件（如 Excel 另存为“Unicode 文本”），UTF-16 编码" in result.stdout


def _workbook(path: Path, sheets: dict[str, list[list]], merged: dict[str, list[str]] = {}):
    import openpyxl
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cells in merged.get(title, []):
            sheet.merge_cells(cells)  # openpyxl empties every cell but the top-left one
    book.save(path)


def _roster_rows() -> list[list[str]]:
    from roster_fixtures import HEADER, ROWS
    return [HEADER.split(","), *(r.split(",") for r in ROWS)]


def test_merged_unit_cells_are_filled_from_the_top_cell_by_every_reader(tmp_path):
    """A bureau writes one 单位 (and its 县市区) across the rows of its people: each of
    those rows belongs to it, in the roster as in a score list."""
    from titlesim.intake import read_table_records
    from titlesim.scorelist import read_score_list
    # rows 2-3 are 忻府区乡镇卫生院甲, rows 4-5 原平市县级医院乙: columns C (单位), D (县市区)
    _workbook(tmp_path / "花名册.xlsx", {"花名册": _roster_rows()},
              {"花名册": ["C2:C3", "D2:D3", "C4:C5", "D4:D5"]})
    result = run_titlesim("roster", "check", "花名册.xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "6 人，3 个单位" in result.stdout

    header = ["人员编号", "考试年度", "系列", "级别", "专业", "县（市、区）", "单位类型", "基层", "成绩"]
    rows = [header, ["a1", 2022, "卫生", "中级", "内科", "忻府区", "乡镇卫生院", "是", 61],
            ["a2", 2022, "卫生", "中级", "内科", "忻府区", "乡镇卫生院", "是", 55]]
    _workbook(tmp_path / "成绩.xlsx", {"成绩": rows}, {"成绩": ["F2:F3", "G2:G3"]})
    assert read_table_records(tmp_path / "成绩.xlsx").rows[2][5:7] == ["忻府区", "乡镇卫生院"]
    scores = read_score_list(tmp_path / "成绩.xlsx", 100, required=("county", "unit_type"))
    assert scores["county"].tolist() == ["忻府区", "忻府区"]
    assert scores["unit_type"].tolist() == ["township_health_centre"] * 2


def test_a_notes_sheet_before_the_data_is_passed_over(tmp_path):
    _workbook(tmp_path / "花名册.xlsx", {"说明": [["填表说明"], ["每人一行，单位名称写全称"]],
                                         "数据": _roster_rows()})
    result = run_titlesim("roster", "check", "花名册.xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "6 人，3 个单位" in result.stdout


def test_a_workbook_without_the_columns_says_which_sheet_was_read(tmp_path):
    rows = _roster_rows()
    rows[0] = [h.replace("专业", "科室") for h in rows[0]]  # 专业 missing everywhere
    _workbook(tmp_path / "花名册.xlsx", {"说明": [["填表说明"]], "数据": rows})
    text = refused(run_titlesim("roster", "check", "花名册.xlsx", cwd=tmp_path))
    assert "工作表“数据”" in text and "缺少必需的列" in text
    assert "读取的是工作表“数据”（第 1 行的列名最符合）；工作簿中的工作表：“说明”、“数据”" in text
    english = refused(run_titlesim("roster", "check", "花名册.xlsx", "--lang", "en", cwd=tmp_path))
    assert "the sheet read is '数据'" in english


def test_an_observed_counts_column_with_an_unknown_name_is_refused_by_name(tmp_path):
    """县 for 县（市、区） was ignored: both rows became 'all counties', then duplicates."""
    from conftest import BASELINE
    (tmp_path / "observed.csv").write_text("年度,县,指标,数值\n2022,忻府区,applied,3\n"
                                           "2022,代县,applied,4\n", encoding="utf-8")
    text = refused(run_titlesim("calibrate", BASELINE, "--observed", "observed.csv", cwd=tmp_path))
    assert "第 1 行，列“县”：未知的列“县”" in text
    assert "县（市、区） (county)" in text and "年度 (year)" in text
    assert "相同" not in text  # no duplicate rows blamed for it
    assert not (tmp_path / "reports").exists()
    english = refused(run_titlesim("calibrate", BASELINE, "--observed", "observed.csv",
                                   "--lang", "en", cwd=tmp_path))
    assert "row 1, 县: unknown column '县'" in english


def test_yaml_syntax_errors_are_all_chinese(tmp_path):
    """PyYAML's words for what it expected and found (the node content, <scalar>) were
    passed on in English inside the Chinese sentence."""
    from conftest import BASELINE
    cases = {"a: }\n": "第 1 行：不是有效的 YAML：此处应为一个值，实际是 '}'",
             "a: !t\n  - 1\n b\n": "缩进不一致：此处应结束上一层，实际是 一个值",
             "a:\n  - 1\n b: 2\n": "实际是 新的一组“键: 值”",
             "{a: 1, b": "此处应为“,”或“}”，实际是 文件结尾",
             "a: -\n": "此处不能出现列表项“-”"}
    for text, expected in cases.items():
        (tmp_path / "grid.yaml").write_text(text, encoding="utf-8")
        shown = refused(run_titlesim("sweep", BASELINE, "--grid", "grid.yaml", cwd=tmp_path))
        assert expected in shown, shown
        assert "node content" not in shown and "<" not in shown and "原文为英文" not in shown
    english = refused(run_titlesim("sweep", BASELINE, "--grid", "grid.yaml", "--lang", "en",
                                   cwd=tmp_path))
    assert "sequence entries are not allowed here" in english


def test_a_workbook_or_binary_file_under_a_text_name_is_named_for_what_it_is(tmp_path):
    """GBK decodes nearly any bytes, so these were read as garbage: nine missing columns."""
    _workbook(tmp_path / "book.xlsx", {"花名册": _roster_rows()})
    (tmp_path / "花名册.csv").write_bytes((tmp_path / "book.xlsx").read_bytes())
    text = refused(run_titlesim("roster", "check", "花名册.csv", cwd=tmp_path))
    assert "花名册.csv：这是一个 Excel 工作簿（.xlsx），不是文本文件" in text
    assert "把文件扩展名改为 .xlsx" in text and "缺少必需的列" not in text
    (tmp_path / "旧.csv").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert "旧版 Excel 工作簿（.xls）" in refused(run_titlesim("roster", "check", "旧.csv",
                                                             cwd=tmp_path))
    (tmp_path / "u16.csv").write_bytes("单位\t县市区\n".encode("utf-16-le"))  # no BOM
    english = refused(run_titlesim("roster", "check", "u16.csv", "--lang", "en", cwd=tmp_path))
    assert "UTF-16 text without a byte-order mark" in english

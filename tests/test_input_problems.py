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

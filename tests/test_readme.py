"""The README and docs/: short README with the two commands first, links that resolve,
no reference outside the repository, a current parameter table, a command reference."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
OUTSIDE = re.compile(r"\bDOMAIN\b|\bthe issue\b|\bissue \d|\.\./shared|/work/|\bspecs?/", re.IGNORECASE)


def test_parameter_table_is_current():
    table = subprocess.run([sys.executable, "-m", "titlesim.paramdoc",
                            str(ROOT / "scenarios/baseline-2022.yaml")],
                           capture_output=True, text=True, check=True, cwd=ROOT).stdout
    page = (ROOT / "docs/parameters.md").read_text(encoding="utf-8")
    between = page.split("<!-- parameters:start -->\n")[1].split("<!-- parameters:end -->")[0]
    assert between == table, ("docs/parameters.md is stale: regenerate it with "
                              "python -m titlesim.paramdoc scenarios/baseline-2022.yaml --update docs/parameters.md")


def test_paramdoc_update_rewrites_only_the_table(tmp_path):
    page = tmp_path / "parameters.md"
    page.write_text("# 参数表\n\nabove\n<!-- parameters:start -->\nold\n<!-- parameters:end -->\nbelow\n",
                    encoding="utf-8")
    subprocess.run([sys.executable, "-m", "titlesim.paramdoc", str(ROOT / "scenarios/baseline-2022.yaml"),
                    "--update", str(page)], check=True, cwd=ROOT)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# 参数表\n\nabove\n<!-- parameters:start -->\n| parameter |")
    assert "\nold\n" not in text and text.endswith("<!-- parameters:end -->\nbelow\n")
    assert "| passline.ratio | 基层按比例合格比例 |" in text


def test_readme_is_short_chinese_first_and_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    assert readme.index("## 两条命令") < readme.index("## English")
    first_block = readme.split("```bash\n", 1)[1].split("```", 1)[0]
    for script in ("scripts/main.sh", "scripts/test.sh"):
        assert f"bash {script}" in first_block
        assert (ROOT / script).exists()
    ci = (ROOT / ".ci/run").read_text()
    assert "scripts/test.sh" in ci


def test_every_relative_link_resolves():
    broken = []
    for page in PAGES:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = target.split("#", 1)[0]
            if not (page.parent / path).exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, broken


def test_no_page_refers_outside_the_repository():
    found = [f"{page.relative_to(ROOT)}: {m.group(0)!r}"
             for page in PAGES for m in OUTSIDE.finditer(page.read_text(encoding="utf-8"))]
    assert not found, found


def test_readme_links_every_docs_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    index = (ROOT / "docs/index.md").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{page.name}" in readme, page.name
        if page.name != "index.md":
            assert f"]({page.name})" in index, page.name


def test_command_reference_covers_every_command():
    from titlesim.cli import _register, cli
    from titlesim.commanddoc import reference
    _register()
    text = reference()
    for name in cli.commands:
        assert f"### `titlesim {name}`" in text, name
    assert "### `titlesim roster check`" in text
    page = (ROOT / "docs/commands.md").read_text(encoding="utf-8")
    assert "<!-- commands:start -->" in page and "### `titlesim run`" in page

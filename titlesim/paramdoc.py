"""The parameter table: every parameter of a scenario with its labels, value and source.

One row per leaf key path of the resolved scenario (``extends`` merged, defaults filled),
labelled from the one label table (:mod:`titlesim.labels`), with the clause of the notice
it encodes (一(三) ...), with a note where the clause sets the rule but not the value
(``一(三)；取值为假设``), or ``assumption``. ``python -m titlesim.paramdoc FILE`` prints it
as a Markdown table; ``--update docs/parameters.md`` rewrites the table of that page.

>>> from titlesim import load_scenario
>>> table = parameter_table(load_scenario("scenarios/baseline-2022.yaml"))
>>> table.set_index("parameter").loc["passline.ratio", ["value", "source"]].tolist()
[0.5, '一(三)；取值为假设']
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from titlesim import labels
from titlesim.errors import InputError

COLUMNS = ("parameter", "label_zh", "label_en", "value", "source")
HEADERS = {
    "en": ("parameter", "label (zh)", "label (en)", "value", "source"),
    "zh": ("参数", "中文名称", "英文名称", "取值", "依据"),
}
ASSUMPTION = {"en": "assumption", "zh": "假设"}


def flatten(data: dict, prefix: str = "") -> dict[str, object]:
    """Leaf key paths of nested mappings and their values; lists and empty mappings are leaves.

    >>> flatten({"passline": {"ratio": 0.5, "group_by": ["specialty"]}, "seed": 1})
    {'passline.ratio': 0.5, 'passline.group_by': ['specialty'], 'seed': 1}
    """
    flat: dict[str, object] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def parameter_table(loaded, lang: str = "en") -> pd.DataFrame:
    """One row per leaf parameter of ``loaded.resolved``: key path, zh and en labels,
    value and source; ``lang`` sets the column headers and the word for "assumption"."""
    labels.check_language(lang)
    rows = []
    for path, value in flatten(loaded.resolved).items():
        row = labels.parameter_row(path) or {}
        source = row.get("source", "")
        rows.append((path, row.get("zh", ""), row.get("en", ""), value,
                     ASSUMPTION[lang] if source == "assumption" else source))
    return pd.DataFrame(rows, columns=list(HEADERS[lang]))


def format_value(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ", ".join(format_value(v) for v in value) or "(none)"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def to_markdown(table: pd.DataFrame) -> str:
    def cell(value) -> str:
        return format_value(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(table.columns) + " |",
             "|" + "|".join("---" for _ in table.columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |"
              for row in table.itertuples(index=False)]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m titlesim.paramdoc",
        description="Print a scenario's parameters as a Markdown table.")
    parser.add_argument("scenario")
    parser.add_argument("--lang", choices=labels.LANGUAGES, default="en")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="KEY.PATH=VALUE")
    parser.add_argument("--update", metavar="MARKDOWN",
                        help="Replace the table between the parameters markers of this file.")
    args = parser.parse_args(argv)
    from titlesim.scenario import load_scenario
    try:
        loaded = load_scenario(args.scenario, args.overrides)
    except InputError as exc:
        for problem in exc.problems:
            print(f"titlesim.paramdoc: error: {problem}", file=sys.stderr)
        return 2
    table = to_markdown(parameter_table(loaded, args.lang)) + "\n"
    if args.update:
        replace_between_markers(Path(args.update), table)
    else:
        sys.stdout.write(table)
    return 0


START, END = "<!-- parameters:start -->\n", "<!-- parameters:end -->"


def replace_between_markers(path: Path, table: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(START)
    _, tail = rest.split(END)
    path.write_text(head + START + table + END + tail, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

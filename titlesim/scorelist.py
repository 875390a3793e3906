"""A real exam score list: read it, check it, and set its pass lines (``titlesim passline``).

The list has one row per applicant and exam year, with the columns of :data:`COLUMNS`
(English codes, or the Chinese headers of the labels table: 人员编号, 考试年度, 系列, 级别,
专业, 县（市、区）, 单位类型, 基层, 成绩). Values may be codes or Chinese or English labels;
an empty score (or 缺考 / absent) is an applicant who did not sit. Every problem of the
file is reported at once, by row as the spreadsheet shows it (the header is row 1).
The pass lines are clause 一(三)'s rule, :mod:`titlesim.rules.passline`; the validity of
each pass is :mod:`titlesim.rules.validity`.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd

from titlesim import intake
from titlesim.errors import InputError, Problem
from titlesim.i18n import current_language, msg
from titlesim.labels import code_for, label, values
from titlesim.rules import route, validity
from titlesim.rules.passline import set_pass_lines
from titlesim.scenario.schema import LEVELS
from titlesim.runfolder import atomic_dir, base_provenance, write_json
from titlesim.tablefiles import write_rows

COLUMNS = ("person_id", "exam_year", "series", "level", "specialty", "county", "unit_type",
           "grassroots", "score")
YES, NO = intake.YES, intake.NO
ABSENT = {"", "缺考", "absent"}
SCOPES = {"general": validity.SCOPE_GENERAL, "grassroots": validity.SCOPE_GRASSROOTS}
ROUTES_OF_SCOPE = {"general": "general+grassroots", "grassroots": "grassroots"}  # a pass serves
MAX_SHOWN = 50  # problems shown per column and kind; the rest are counted in one line


# ------------------------------------------------------------------------------ reading
def read_records(path: Path) -> intake.Records:
    """All rows of the file as text, row 1 first, the format read and the cells that could
    not be read (:mod:`titlesim.intake`)."""
    return intake.read_table_records(path, "score list", _header_code)


_header_code = intake.label_headers(COLUMNS)


def _code(kind: str, text: str) -> str | None:
    """A category code from a code or a label, English labels in any case."""
    found = code_for(kind, text)
    if found is None:
        lower = text.lower()
        found = next((key for key, row in values(kind).items()
                      if lower in (key.lower(), row["en"].lower())), None)
    return found


def _choices(kind: str) -> str:
    return _one_of(kind, tuple(values(kind)))


class _Problems:
    """Collects the problems of the rows, showing at most MAX_SHOWN of each kind per column."""

    def __init__(self, file: str, headers: dict[str, str], frame: pd.DataFrame,
                 records: intake.Records):
        self.file, self.headers, self.frame, self.items, self.more = file, headers, frame, [], []
        self.records = records  # its formula cells are told with the rows' problems

    def flag(self, mask, column: str, message: str, expected: str, shown=None) -> None:
        """One problem per row of ``mask``; ``{value}`` in ``message`` is the cell, or ``shown``."""
        mask = np.asarray(mask, dtype=bool)
        rows = self.frame["row"][mask]
        cells = (self.frame[column] if shown is None else shown)[mask]
        header = self.headers.get(column, column)
        for row, value in zip(rows[:MAX_SHOWN], cells[:MAX_SHOWN]):
            self.items.append(Problem(message.format(value=value), file=self.file, key=header,
                                      line=int(row), expected=expected, line_word="row"))
        if len(rows) > MAX_SHOWN:
            self.more.append(Problem(f"and {len(rows) - MAX_SHOWN} more rows with the same problem "
                                     f"({message.format(value='...')})", file=self.file, key=header))

    def raise_if_any(self) -> None:
        problems = self.records.problems_with(self.items + self.more)
        if problems:
            raise InputError(problems)


def read_score_list(path, full_marks: float, required: tuple[str, ...] = (),
                    known: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """The checked score list: codes, ``exam_year`` int, ``grassroots`` bool, ``score``
    float (NaN: absent), ``row`` as the spreadsheet numbers it; ``attrs["format"]`` says
    what was read. ``required`` names columns (the pass-line groups) that must not be empty;
    ``known`` (see :func:`known_values`) the series, levels, specialties, counties and unit
    types a scenario knows: any other value is refused, naming the row and the value.
    Raises :class:`InputError` with every problem of the file."""
    path = Path(path)
    file = str(path)
    read = read_records(path)
    records, fmt = read.rows, read.format
    if not records or not any(records[0]):
        raise InputError(Problem("row 1 must hold the column names", file=file, line=1,
                                 line_word="row", expected=msg("scorelist.headers", headers=", ".join(
                                     label("column", c, current_language()) for c in COLUMNS))))
    headers: dict[str, str] = {}  # code -> the header as the file writes it
    position: dict[str, int] = {}
    problems = []
    for i, text in enumerate(records[0]):
        code = _header_code(text) if text else None
        if code in headers:
            problems.append(Problem(f"columns '{headers[code]}' and '{text}' both give "
                                    f"{label('column', code, current_language())}",
                                    file=file, line=1, line_word="row"))
        elif code:
            headers[code], position[code] = text, i
    for column in COLUMNS:
        if column not in headers:
            problems.append(Problem("required column is missing", file=file,
                                    key=label("column", column, current_language()), line=1,
                                    line_word="row", expected=msg(
                                        "scorelist.column_headed", code=column,
                                        label=label("column", column, "zh"))))
    if problems:
        raise InputError(read.problems_with(problems))

    index = [position[c] for c in COLUMNS]
    data = [[rec[i] if i < len(rec) else "" for i in index] + [n]
            for n, rec in enumerate(records[1:], start=2) if any(rec)]
    if not data:
        raise InputError(Problem("no rows below the header", file=file, line=2, line_word="row",
                                 expected="one row per applicant"))
    frame = pd.DataFrame(data, columns=[*COLUMNS, "row"])
    rows = _check_rows(frame, _Problems(file, headers, frame, read), full_marks, required, known or {})
    rows.attrs["format"] = fmt  # (and attrs["written"]: each code as the list writes it)
    return rows


def known_values(params) -> dict[str, tuple[str, ...]]:
    """What a scenario knows: its series, levels, specialties, counties and unit types."""
    pop = params.population
    return {"series": tuple(pop.series), "level": LEVELS,
            "specialty": tuple(sp for mix in pop.specialties.values() for sp in mix),
            "county": tuple(pop.counties), "unit_type": tuple(pop.unit_types)}


def _one_of(kind: str, allowed) -> str:
    """The values allowed, each by its Chinese label and its code (counties: their names)."""
    shown = [msg("scorelist.value_and_code", label=label(kind, a, "zh"), code=a)
             if label(kind, a, "zh") != a else str(a) for a in allowed]
    return msg("scorelist.one_of", values=msg("scorelist.list_separator").join(shown))


def what(kind: str) -> str:
    """A column by its label in the language in use (系列, 级别), as a problem names it."""
    return label("column", kind, current_language())


def _check_rows(frame: pd.DataFrame, report: _Problems, full_marks: float,
                required: tuple[str, ...], known: dict) -> pd.DataFrame:
    out = pd.DataFrame({"row": frame["row"], "person_id": frame["person_id"]})
    report.flag(frame["person_id"] == "", "person_id", msg("scorelist.id_empty"),
                msg("scorelist.id_expected"))

    year = pd.to_numeric(frame["exam_year"], errors="coerce")
    bad_year = year.isna() | (year % 1 != 0) | (year < 1949) | (year > 2200)
    report.flag(bad_year, "exam_year", msg("scorelist.not_a_year"), msg("scorelist.year_expected"))
    out["exam_year"] = year.where(~bad_year, 0).astype(np.int64)

    written = {}
    for kind in ("series", "level", "specialty", "county", "unit_type"):
        mapping = {t: (_code(kind, t) if kind != "county" and t else None) for t in frame[kind].unique()}
        codes = frame[kind].map(mapping)
        # the way the list writes each value most often (内科 rather than internal_medicine)
        pairs = pd.DataFrame({"code": codes, "text": frame[kind]}).dropna()
        written[kind] = (pairs.groupby(["code", "text"]).size().reset_index(name="n")
                         .sort_values(["code", "n", "text"], ascending=[True, False, True])
                         .drop_duplicates("code").set_index("code")["text"].to_dict())
        if kind in ("series", "level"):
            report.flag(codes.isna(), kind, msg("scorelist.unknown", what=what(kind), value="{value}"),
                        _choices(kind))
        elif kind in required:
            report.flag(frame[kind] == "", kind, msg("scorelist.empty", what=what(kind)),
                        msg("scorelist.empty_expected", what=what(kind)))
        out[kind] = codes.fillna(frame[kind])
        if kind in known:  # a value the scenario does not know never makes a group of its own
            given = codes.notna() if kind in ("series", "level") else frame[kind] != ""
            report.flag(given & ~out[kind].isin(known[kind]), kind,
                        msg("scorelist_unknown_value", kind=label("column", kind, current_language())),
                        _one_of(kind, known[kind]))

    words = frame["grassroots"].str.lower()
    report.flag(~words.isin(YES | NO), "grassroots", msg("scorelist.not_yes_no"),
                msg("scorelist.yes_no_expected"))
    out["grassroots"] = words.isin(YES)

    text = frame["score"].str.lower()
    score = pd.to_numeric(text.where(~text.isin(ABSENT)), errors="coerce")
    report.flag(~text.isin(ABSENT) & score.isna(), "score", msg("scorelist.score_not_number"),
                msg("scorelist.score_expected"))
    report.flag((score < 0) | (score > full_marks), "score", msg("scorelist.score_out_of_range"),
                msg("scorelist.score_range", full_marks=f"{full_marks:g}"))
    out["score"] = score.astype(np.float64)
    out.attrs["written"] = written

    again = out.duplicated(["person_id", "exam_year"]) & (frame["person_id"] != "") & ~bad_year
    first = out.groupby(["person_id", "exam_year"])["row"].transform("min")
    again_text = msg("scorelist.again")
    shown = pd.Series("", index=frame.index, dtype=object)
    shown[again] = [again_text.format(person=p, year=y, first=f) for p, y, f in
                    zip(frame["person_id"][again], frame["exam_year"][again], first[again])]
    report.flag(again, "person_id", "{value}", msg("scorelist.again_expected"), shown=shown)
    report.raise_if_any()
    return out


# ---------------------------------------------------------------------------- pass lines
LABELLED = ("series", "level", "specialty")  # group columns holding codes (counties are names)


def written_label(rows: pd.DataFrame, kind: str, code: str, lang: str | None = None) -> str:
    """A category as a Chinese score list writes it (内科 when the list says 内科), in
    Chinese output; otherwise (a code, or English output) its label in the user's language."""
    lang = lang or current_language()
    text = rows.attrs.get("written", {}).get(kind, {}).get(code)
    return text if text and text != code and lang == "zh" else label(kind, code, lang)


def ratio_group_mask(rows: pd.DataFrame, params) -> np.ndarray:
    """Who is in a ratio group (:func:`titlesim.rules.route.in_ratio_groups`): grassroots
    takers, plus those of unit types marked ``attached`` and not ``graded`` when
    ``attached_units.join_grassroots_route``."""
    types = params.population.unit_types
    flag = lambda name: rows["unit_type"].map(  # noqa: E731
        {k: getattr(u, name) for k, u in types.items()}).fillna(False).to_numpy(dtype=bool)
    return route.in_ratio_groups(rows["grassroots"].to_numpy(dtype=bool), flag("attached"),
                                 flag("graded"), params.attached_units.join_grassroots_route)


def without_exam(rows: pd.DataFrame, params) -> np.ndarray:
    """Rows of a series and level that sit no exam (``exam.levels``; 一(三): full senior
    is evaluation only, and only the health series sits one): they never count towards k."""
    levels = params.exam.levels
    return ~np.array([lv in levels.get(se, []) for se, lv in zip(rows["series"], rows["level"])],
                     dtype=bool).reshape(-1)


def _refuse_without_exam(rows: pd.DataFrame, mask: np.ndarray, file: str, params) -> None:
    """Rows the ratio rule does not apply to (docs/model.md, 合格线规则: lines are set only
    for the series and levels of ``exam.levels``), refused with their rows."""
    shown = rows.loc[mask].head(MAX_SHOWN)
    lang = current_language()
    levels = msg("scorelist.list_separator").join(
        msg("scorelist_series_level", series=label("series", se, lang), level=label("level", lv, lang))
        for se, lvs in params.exam.levels.items() for lv in lvs)
    problems = [Problem(msg("scorelist_no_exam", series=label("series", r.series, lang),
                            level=label("level", r.level, lang)),
                        file=file, key=label("column", "level", lang), line=int(r.row), line_word="row",
                        expected=msg("scorelist_no_exam_expected", levels=levels))
                for r in shown.itertuples(index=False)]
    if mask.sum() > MAX_SHOWN:
        problems.append(Problem(msg("scorelist_more_rows", n=int(mask.sum()) - MAX_SHOWN), file=file))
    raise InputError(problems)


def _fmt(value) -> str:
    """Fixed text for a cell: empty for a missing value, floats without trailing zeros."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return f"{value:.10g}" if isinstance(value, (float, np.floating)) else str(value)


def _write_csv(path: Path, frame: pd.DataFrame) -> None:
    write_rows(path, list(frame.columns),
               ([_fmt(v) for v in row] for row in frame.itertuples(index=False)))


def pass_lines_of(rows: pd.DataFrame, params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(lines, persons)``: one row per ratio group and exam year, one per applicant."""
    pl = params.passline
    in_ratio = ratio_group_mask(rows, params)
    keys = ["exam_year", *pl.group_by]
    grouped = rows.loc[in_ratio, keys].groupby(keys, sort=True)
    group = np.zeros(len(rows), dtype=np.int64)
    group[in_ratio] = grouped.ngroup().to_numpy()
    lines = grouped.size().index.to_frame(index=False)
    result = set_pass_lines(rows["score"].to_numpy(), group, in_ratio, len(lines), pl)
    for name in ("applied", "sat", "k", "line_score", "passed_ratio_only", "passed_provincial"):
        lines[name] = getattr(result, name)
    for column in reversed(pl.group_by):  # a label beside each code column, for people
        if column in LABELLED:
            lines.insert(lines.columns.get_loc(column) + 1, f"{column}_label",
                         [written_label(rows, column, code) for code in lines[column]])

    exam_year = rows["exam_year"].to_numpy()
    until, scope = validity.new_passes(exam_year, result.person_provincial,
                                       result.person_ratio_only, params.validity)
    held = scope != validity.SCOPE_NONE
    persons = pd.DataFrame({
        "person_id": rows["person_id"], "exam_year": exam_year, "score": rows["score"],
        "ratio_group": in_ratio.astype(int),
        "passed_provincial": result.person_provincial.astype(int),
        "passed_ratio_only": result.person_ratio_only.astype(int),
        "valid_from": pd.array(exam_year, dtype="Int64"),
        "valid_until": pd.array(until.astype(np.int64), dtype="Int64"),
        "scope": pd.Series(scope).map({v: k for k, v in SCOPES.items()}).fillna("").to_numpy(),
    })
    persons.loc[~held, ["valid_from", "valid_until"]] = pd.NA
    persons["scope_label"] = _scope_labels(persons["scope"])
    # the 0/1 columns in words beside them, as the code columns have theirs
    persons.insert(persons.columns.get_loc("ratio_group") + 1, "ratio_group_label",
                   np.where(in_ratio, msg("passline.group.ratio"), msg("passline.group.standard_only")))
    outcome = np.select([rows["score"].isna().to_numpy(), result.person_provincial, result.person_ratio_only],
                        ["absent", "provincial", "ratio_only"], "failed")
    words = {o: msg(f"passline.result.{o}") for o in ("absent", "provincial", "ratio_only", "failed")}
    persons.insert(persons.columns.get_loc("passed_ratio_only") + 1, "result_label",
                   pd.Series(outcome).map(words).to_numpy())
    return lines, persons.sort_values(["exam_year", "person_id"], kind="stable", ignore_index=True)


def valid_in_year(persons: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each person's latest pass usable in evaluation ``year``, with the routes it serves."""
    until = persons["valid_until"].fillna(0).to_numpy(dtype=np.int64)
    scope = persons["scope"].map(SCOPES).fillna(validity.SCOPE_NONE).to_numpy(dtype=np.int64)
    ok = (persons["exam_year"].to_numpy() <= year) & validity.usable(
        until, scope, year, np.ones(len(persons), dtype=bool))
    held = persons.loc[ok].sort_values(["person_id", "exam_year"], kind="stable")
    held = held.drop_duplicates("person_id", keep="last")
    return pd.DataFrame({
        "person_id": held["person_id"], "year": year, "exam_year": held["exam_year"],
        "score": held["score"], "valid_until": held["valid_until"], "scope": held["scope"],
        "scope_label": _scope_labels(held["scope"]),
        "routes": held["scope"].map(ROUTES_OF_SCOPE),
        "routes_label": held["scope"].map({scope: msg("list_separator_words").join(
            label("route", r, current_language()) for r in routes.split("+"))
            for scope, routes in ROUTES_OF_SCOPE.items()}),
    })


def _scope_labels(scope: pd.Series) -> pd.Series:
    """The scope of each pass in words (通用, 基层定向) beside its code; empty if none."""
    lang = current_language()
    return scope.map({code: label("scope", code, lang) for code in SCOPES}).fillna("")


def run_passline(score_list_path, scenario, year: int | None, out_dir, command: str | None = None,
                 leave_out_no_exam: bool = False):
    """Set the pass lines of a score list under ``scenario`` (a LoadedScenario) and write
    ``lines.csv``, ``persons.csv``, with ``year`` ``valid_in_year.csv``, and
    ``provenance.json`` into the new folder ``out_dir``. Returns the lines table, whose
    ``attrs["left_out"]`` lists the rows without an exam that were left out.

    Rows of a series or level without an exam are refused with their row numbers, or,
    with ``leave_out_no_exam``, left out and counted: they never count towards k."""
    from titlesim.runs import now
    started = now()
    out_dir, path = Path(out_dir), Path(score_list_path)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise InputError(Problem("already exists and is not an empty folder; results are never "
                                 "written over earlier ones", file=str(out_dir), expected="a new folder"))
    params = scenario.params
    rows = read_score_list(path, params.passline.full_marks, tuple(params.passline.group_by),
                           known_values(params))
    fmt = rows.attrs["format"]
    no_exam = without_exam(rows, params)
    if no_exam.any() and not leave_out_no_exam:
        _refuse_without_exam(rows, no_exam, str(path), params)
    left_out = rows.loc[no_exam, "row"].astype(int).tolist()
    rows = rows.loc[~no_exam].reset_index(drop=True)
    lines, persons = pass_lines_of(rows, params)
    tables = {"lines.csv": lines, "persons.csv": persons}
    if year is not None:
        tables["valid_in_year.csv"] = valid_in_year(persons, year)
    provenance = base_provenance() | {
        "command": command or "passline",
        "started": started,
        "scenario": {"name": scenario.name, "title": {lang: scenario.title_in(lang) for lang in ("zh", "en")},
                     "files": [str(f) for f in scenario.files],
                     "overrides": list(scenario.overrides), "sha256": scenario.sha256()},
        "passline": params.passline.model_dump(mode="json"),
        "validity": params.validity.model_dump(mode="json"),
        "attached_units": params.attached_units.model_dump(mode="json"),
        "left_out_without_exam": {"rows": left_out, "count": len(left_out)},
        "score_list": {"path": str(path), "format": fmt, "rows": len(rows) + len(left_out),
                       "sha256": hashlib.sha256(path.read_bytes()).hexdigest()},
        "year": year,
        "outputs": sorted(tables),
    }
    if out_dir.is_dir():
        os.rmdir(out_dir)  # empty: replaced by the complete folder
    with atomic_dir(out_dir) as tmp:
        for name, table in tables.items():
            _write_csv(tmp / name, table)
        write_json(tmp / "provenance.json", provenance)
    lines.attrs["left_out"] = left_out
    return lines

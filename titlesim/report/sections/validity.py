"""What score validity does (the users' question 3, docs/guide.md; clause 一(三) 成绩三年有效): retakes
avoided by holding a valid pass, and passes that expire unused."""
from __future__ import annotations

import pandas as pd

from titlesim.report import plots
from titlesim.report.model import Figure, Section, Table
from titlesim.report.numbers import add_band, band, count, nonzero_groups, rounded, year_labels
from titlesim.report.words import caption, column_label, num, pct, say, section_title, value_label

PASSES = ("passed_provincial", "passed_ratio_only")
COLUMNS = {"sat_exam": "sat_exam", "passed": PASSES, "valid_passes_held": "valid_passes_held",
           "passes_expired_unused": "passes_expired_unused"}
DRAWN = ("valid_passes_held", "passes_expired_unused")


def by_year(result) -> pd.DataFrame:
    """Per year and over the horizon: mean and 90 % interval, whole people."""
    frame = pd.DataFrame({"year": year_labels(result)})
    for name, metrics in COLUMNS.items():
        add_band(frame, name, count(result, metrics)[0][:, :, 0])
    return frame


def by_specialty(result) -> pd.DataFrame:
    frame, arrays = pd.DataFrame(), []
    for name, metrics in COLUMNS.items():
        v, groups = count(result, metrics, by="specialty")
        arrays.append(v)
        add_band(frame, name, v[:, -1, :])
    frame.insert(0, "specialty", [str(g) for g in groups])
    return frame[nonzero_groups(*arrays)].reset_index(drop=True)


def build(inputs) -> Section:
    r, lang = inputs.result, inputs.lang
    section = Section("validity", section_title("validity", lang))
    years, specialties = by_year(r), by_specialty(r)
    section.paragraphs = _sentences(inputs, years, specialties)
    section.tables = [
        Table("validity_by_year", caption("report_table", "validity_by_year", lang), years,
              note=say("note_total_row", lang)),
        Table("validity_by_specialty", caption("report_table", "validity_by_specialty", lang),
              specialties, note=say("note_horizon_totals", lang))]
    section.figures = [_over_time(r, lang)]
    return section


def _sentences(inputs, years, specialties) -> list[str]:
    r, lang, v = inputs.result, inputs.lang, inputs.params.validity
    total = years.iloc[-1]
    out = [say("validity_rule", lang, years=v.years, ratio_only_years=v.ratio_only_years)]
    held, held_lo, held_hi = band(count(r, "valid_passes_held")[0][:, -1, 0])
    if total["sat_exam"] + total["valid_passes_held"] == 0:
        return out + [say("validity_no_exam", lang)]
    if held == 0:
        out.append(say("validity_no_carry", lang))
    else:
        out.append(say("validity_held", lang, held=num(held), lo=num(held_lo), hi=num(held_hi),
                       per_year=num(held / inputs.n_years),
                       share=pct(100 * held / (held + total["sat_exam"]))))
    expired = total["passes_expired_unused"]
    if expired == 0:
        out.append(say("validity_none_expired", lang))
    else:
        top = specialties.loc[specialties["passes_expired_unused"].idxmax()]
        out.append(say("validity_expired", lang, expired=num(expired),
                       share=pct(100 * expired / max(total["passed"], 1e-9)),
                       top=value_label("specialty", top["specialty"], lang),
                       top_n=num(top["passes_expired_unused"])))
    return out


def _over_time(result, lang: str) -> Figure:
    rows = []
    for name in DRAWN:
        m, lo, hi = band(count(result, name)[0][:, :-1, 0])
        rows.append(pd.DataFrame({"metric": name, "year": result.years.astype(int),
                                  "mean": rounded(m), "lo": rounded(lo), "hi": rounded(hi)}))
    data = pd.concat(rows, ignore_index=True)
    fig = plots.lines_over_years(data, "metric", lang, column_label("persons", lang))
    title = caption("report_figure", "validity_over_time", lang)
    fig.suptitle(title)
    return Figure("validity_over_time", title, fig, data)

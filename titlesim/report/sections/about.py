"""How to read the report and re-create it: the method in three sentences, the scenarios
with the sha256 of their resolved content, and every parameter with its label, value and source (folded)."""
from __future__ import annotations

import pandas as pd

from titlesim import labels
from titlesim.paramdoc import flatten, format_value, parameter_table
from titlesim.scenario.schema import WORDS
from titlesim.report.model import Section, Table
from titlesim.report.words import caption, num, say, section_title, shown_value, source_label


def scenarios(inputs) -> pd.DataFrame:
    """Each scenario with the sha256 of its resolved content (``extends`` merged, --set
    applied): the same for a re-created run. File paths and their sha256 are in
    ``provenance.json``."""
    loaded = {inputs.scenario.name: inputs.scenario}
    if inputs.comparison is not None:
        loaded = inputs.comparison.scenarios
    rows = [(name, s.title_in(inputs.lang), "base" if i == 0 else "revision",
             s.question_in(inputs.lang),
             s.sha256()) for i, (name, s) in enumerate(loaded.items())]
    return pd.DataFrame(rows, columns=["scenario", "scenario_title", "role", "description",
                                       "scenario_sha256"])


def run_values(inputs) -> dict[str, object]:
    """Every parameter as the run used it: the resolved scenario's values, except the
    replicates and seed the run was given (``--replicates``, ``--seed``, as
    ``provenance.json`` records them), which replace the scenario file's."""
    values = dict(flatten(inputs.scenario.resolved))
    values.update(replicates=inputs.result.replicates, seed=inputs.result.seed)
    return values


def build(inputs) -> Section:
    lang, r = inputs.lang, inputs.result
    section = Section("about", section_title("about", lang))
    params = parameter_table(inputs.scenario, "en")
    # the scenario's own words (title, question ...) are in the scenarios table, in the
    # report's language; the parameters are the model's
    params = params[~params["parameter"].isin(WORDS)].reset_index(drop=True)
    assumed = int(params["source"].map(labels.value_assumed).sum())  # 一(三)；取值为假设 too
    section.paragraphs = [
        say("about_method", lang, replicates=r.replicates, seed=r.seed),
        say("about_assumptions", lang, n=num(len(params)), assumed=num(assumed)),
        say("about_provenance", lang),
    ]
    params = params.rename(columns={"label (zh)": "label_zh", "label (en)": "label_en"})
    used = run_values(inputs)
    params["value"] = [used.get(p, v) for p, v in zip(params["parameter"], params["value"])]
    params["value_label"] = [shown_value(p, used.get(p), lang) for p in params["parameter"]]
    params["value"] = params["value"].map(format_value)
    params["source_label"] = [source_label(s, lang) for s in params["source"]]
    other = "label_en" if lang == "zh" else "label_zh"
    section.tables = [
        Table("scenarios", caption("report_table", "scenarios", lang), scenarios(inputs),
              codes=("scenario",)),
        Table("parameters", caption("report_table", "parameters", lang), params, folded=True,
              codes=("value", "source", other), key_paths="parameter")]
    return section

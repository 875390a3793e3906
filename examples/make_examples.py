"""Make the SYNTHETIC example roster and observed counts in this folder, from the model.

    .venv/bin/python examples/make_examples.py

Nothing here is real data. The roster is a synthetic workforce of the example scenario
(``population.size`` 1500) written out as a bureau writes its 人员花名册, with made-up
names (示例人员00001 ...) and made-up ID numbers (SYN...), so that the privacy handling can
be seen at work. The observed counts are one simulated history of that roster under
known "true" parameters (:data:`TRUTH`): the replicate after the example's own (its luck
is not one the calibration simulates), so that ``titlesim calibrate`` can be seen to find
them again. The same engine gives the same files, byte for byte.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from titlesim import load_scenario, simulate  # noqa: E402
from titlesim.calibrate.observed import observed_from_result  # noqa: E402
from titlesim.labels import label  # noqa: E402
from titlesim.setup import prepare  # noqa: E402

SCENARIO = HERE / "synthetic-roster.yaml"
ROSTER = HERE / "synthetic-roster.csv"
OBSERVED = HERE / "synthetic-observed.csv"
SIZE, SEED = 1500, 7  # people, and the seed of their synthetic workforce
TRUTH = ["exam.mean_score=54", "application.base.other=0.36"]  # what calibrate should find
OBSERVED_YEARS = 4  # the first years of the example scenario's horizon
OBSERVED_BY = ("grassroots",)
OBSERVED_METRICS = ("applied", "sat_exam", "passed_provincial", "passed_ratio_only", "titled", "hired")
HEADER = ("姓名", "身份证号", "单位", "县市区", "单位类型", "是否基层", "专业", "现职称", "取得时间",
          "聘任岗位", "学历", "出生年月", "性别", "论文数")


def roster_rows(params, seed: int) -> list[tuple]:
    """One row per person of a synthetic workforce, as a roster writes it."""
    setup = prepare(params, seed)
    p, u, codes = setup.people, setup.units, setup.codes
    year = params.horizon.start - 1
    counter: dict[tuple, int] = {}
    unit_names = []
    for county, kind in zip(u.county, u.unit_type):
        key = (codes.counties[county], label("unit_type", codes.unit_types[kind]))
        counter[key] = counter.get(key, 0) + 1
        unit_names.append(f"{key[0]}{key[1]}{counter[key]}号")
    rows = []
    for i in range(len(p)):
        unit = int(p.unit[i])
        title = int(p.titled_year[i]) if p.level[i] > 0 else year - int(p.years_at_level[i])
        rows.append((
            f"示例人员{i + 1:05d}", f"SYN{i + 1:015d}", unit_names[unit],
            codes.counties[u.county[unit]], label("unit_type", codes.unit_types[u.unit_type[unit]]),
            "是" if u.grassroots[unit] else "否", label("specialty", codes.specialties[p.specialty[i]]),
            label("level", codes.levels[p.level[i]]), f"{title}-{(i * 7) % 12 + 1:02d}",
            label("level", codes.levels[p.post_level[i]]),
            label("education", codes.educations[p.education[i]]),
            f"{year - int(p.age[i])}-{(i * 5) % 12 + 1:02d}", "女" if p.female[i] else "男",
            int(p.papers[i])))
    order = np.argsort([r[2] for r in rows], kind="stable")  # by unit, as a roster is kept
    return [rows[k] for k in order]


def write_csv(path: Path, header, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def make(folder: Path = HERE) -> tuple[Path, Path]:
    """Write the roster and the observed counts into ``folder`` (this one by default; the
    tests make them in another and compare, so that the files stay those of the engine)."""
    roster, observed_file = folder / ROSTER.name, folder / OBSERVED.name
    synthetic = load_scenario(SCENARIO, ["population.roster=null", f"population.size={SIZE}"])
    write_csv(roster, HEADER, roster_rows(synthetic.params, SEED))
    example = load_scenario(SCENARIO, TRUTH + [f"horizon.years={OBSERVED_YEARS}",
                                               f"population.roster={roster}"])
    beyond = example.params.replicates  # a replicate the example's own runs do not use
    history = simulate(example, replicates=beyond + 1, progress=False)
    observed = observed_from_result(history, OBSERVED_BY, OBSERVED_METRICS, replicate=beyond)
    observed["grassroots"] = observed["grassroots"].map({True: "是", False: "否"})
    header = [label("column", c) for c in observed.columns]  # 年度, 基层, 指标, 数值
    write_csv(observed_file, header, observed.itertuples(index=False))
    return roster, observed_file


def main() -> None:
    roster, observed = make()
    people, rows = (sum(1 for _ in path.open(encoding="utf-8")) - 1 for path in (roster, observed))
    print(f"wrote {roster.name} ({people} people) and {observed.name} ({rows} rows)")


if __name__ == "__main__":
    main()

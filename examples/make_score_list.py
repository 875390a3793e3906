"""Make the SYNTHETIC exam score list in this folder, to try ``titlesim passline`` on.

    .venv/bin/python examples/make_score_list.py [--out FOLDER]

Nothing here is real data: 720 made-up applicants (示例2022-0001 ...) for the 2022 health
deputy senior exam, spread over Xinzhou's 14 counties, the health unit types and ten
specialties, with Chinese headers and Chinese values, as a bureau's list arrives:

- ``score-list-2022.csv``: UTF-8 with a byte-order mark (Excel opens it right);
- ``score-list-2022-gbk.csv``: the same rows in GBK, as older systems export them;
- ``score-list-2022.xlsx``: the same rows in a workbook.

Scores are drawn around 57 (grassroots applicants a few points lower), in half points; about
one applicant in 25 is absent (缺考). The same seed gives the same files, byte for byte.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED, APPLICANTS, YEAR = 2022, 720, 2022
HEADER = ("人员编号", "考试年度", "系列", "级别", "专业", "县（市、区）", "单位类型", "基层", "成绩")
COUNTIES = ("忻府区", "原平市", "定襄县", "五台县", "代县", "繁峙县", "宁武县", "静乐县", "神池县",
            "五寨县", "岢岚县", "河曲县", "保德县", "偏关县")
COUNTY_WEIGHTS = (577089, 431653, 195290, 264279, 189937, 239867, 148823, 138283, 93017, 97437,
                  69324, 129719, 142935, 72015)  # the 2020 census, as in the baseline
# unit type, grassroots, share of applicants
UNIT_TYPES = (("市人民医院", "否", 0.22), ("县级医院", "否", 0.40), ("乡镇卫生院", "是", 0.20),
              ("社区卫生服务中心", "是", 0.10), ("校医院", "否", 0.03), ("单位医务室", "否", 0.05))
SPECIALTIES = ("内科", "外科", "妇产科", "儿科", "全科", "中医", "护理", "药学", "医学检验", "医学影像")
SPECIALTY_WEIGHTS = (0.20, 0.14, 0.07, 0.06, 0.08, 0.09, 0.18, 0.06, 0.06, 0.06)
ABSENT_RATE = 0.04


def rows() -> list[tuple[str, ...]]:
    rng = np.random.default_rng(SEED)
    county = rng.choice(len(COUNTIES), APPLICANTS, p=np.array(COUNTY_WEIGHTS) / sum(COUNTY_WEIGHTS))
    unit = rng.choice(len(UNIT_TYPES), APPLICANTS, p=[u[2] for u in UNIT_TYPES])
    specialty = rng.choice(len(SPECIALTIES), APPLICANTS, p=SPECIALTY_WEIGHTS)
    grassroots = np.array([UNIT_TYPES[u][1] == "是" for u in unit])
    score = np.clip(rng.normal(np.where(grassroots, 53.0, 58.0), 8.0), 0, 100)
    score = np.round(score * 2) / 2
    absent = rng.random(APPLICANTS) < ABSENT_RATE
    out = []
    for i in range(APPLICANTS):
        out.append((f"示例{YEAR}-{i + 1:04d}", str(YEAR), "卫生", "副高级", SPECIALTIES[specialty[i]],
                    COUNTIES[county[i]], UNIT_TYPES[unit[i]][0], UNIT_TYPES[unit[i]][1],
                    "" if absent[i] else f"{score[i]:g}"))
    return out


def csv_text(table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(table)
    return buffer.getvalue()


def write_xlsx(table, path: Path) -> None:
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "成绩名单"
    sheet.append(HEADER)
    for row in table:
        sheet.append([float(v) if k == len(HEADER) - 1 and v else (int(v) if k == 1 else v)
                      for k, v in enumerate(row)])
    when = dt.datetime(YEAR, 6, 16)  # fixed, so that the same rows give the same file
    book.properties.created = book.properties.modified = when
    book.save(path)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Make the synthetic score list.")
    parser.add_argument("--out", type=Path, default=HERE)
    out = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    table = rows()
    text = csv_text(table)
    (out / "score-list-2022.csv").write_bytes(text.encode("utf-8-sig"))
    (out / "score-list-2022-gbk.csv").write_bytes(text.encode("gbk"))
    write_xlsx(table, out / "score-list-2022.xlsx")


if __name__ == "__main__":
    main()

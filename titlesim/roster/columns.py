"""The roster's columns: one table from the headers a bureau writes to the names used inside.

A roster (人员花名册) has one row per professional. Headers may be Chinese or English and
are matched after removing spaces and unifying brackets; values may be codes or the labels
of :mod:`titlesim.labels` (内科 or internal_medicine, 副高级 or deputy_senior).

Identifier columns (身份证号, 人员编号, 姓名) are read only to tell people apart: they are
turned into a salted hash (:mod:`titlesim.roster.privacy`) and dropped at once; no
identifier is ever stored or written out.
"""
from __future__ import annotations

from dataclasses import dataclass

from titlesim.intake import NO, YES, header_index  # noqa: F401 (YES, NO: the roster's words)

# the plausible values of the roster's counts, whole numbers, both ends in (docs/guide.md,
# 人员名册的列): papers within what a career can publish (and the engine's 16-bit store,
# with room to grow); a unit's establishment from 1 to that of the largest hospital of a province
COUNT_RANGES = {"papers": (0, 500), "establishment": (1, 10_000)}


@dataclass(frozen=True)
class RosterColumn:
    name: str  # the name used inside titlesim
    headers: tuple[str, ...]  # accepted headers, the first is the documented one
    need: str  # "required", "optional" or "identifier"
    meaning: str

    @property
    def header(self) -> str:
        return self.headers[0]


COLUMNS = (
    RosterColumn("unit", ("单位", "单位名称", "工作单位", "unit", "unit name"), "required",
                 "the unit's name; rows with the same name are one unit"),
    RosterColumn("county", ("县市区", "县（市、区）", "所在县市区", "县区", "county"), "required",
                 "one of the scenario's counties (population.counties)"),
    RosterColumn("unit_type", ("单位类型", "unit type"), "required",
                 "one of the scenario's unit types (population.unit_types), code or label"),
    RosterColumn("specialty", ("专业", "specialty"), "required",
                 "a specialty of the unit type's series (population.specialties)"),
    RosterColumn("level", ("现职称", "现职称级别", "职称级别", "level", "title level"), "required",
                 "初级, 中级, 副高级 or 正高级 (or junior ... full_senior)"),
    RosterColumn("title_date", ("取得时间", "现职称取得时间", "取得现职称时间", "title date"),
                 "required", "when the current title was obtained (year, or year and month); "
                             "may be empty for 初级 only"),
    RosterColumn("education", ("学历", "最高学历", "education"), "required",
                 "中专, 大专, 本科, 硕士 or 博士 (also 专科, 研究生, 硕士研究生, 博士研究生)"),
    RosterColumn("birth", ("出生年月", "出生日期", "birth", "date of birth"), "required",
                 "year and month of birth (e.g. 1985-07, 1985年7月, 198507)"),
    RosterColumn("sex", ("性别", "sex"), "optional", "男/女 (male/female); empty: drawn"),
    RosterColumn("grassroots", ("是否基层", "基层", "grassroots"), "optional",
                 "是/否; a check: must agree with the unit type's grassroots flag"),
    RosterColumn("series", ("系列", "series"), "optional",
                 "a check: must agree with the unit type's series"),
    RosterColumn("post_level", ("聘任岗位", "聘任岗位级别", "岗位级别", "post level"), "optional",
                 "level of the post held, at most the title's level; empty: the title's level"),
    RosterColumn("papers", ("论文数", "papers"), "optional",
                 "papers published (research record), a whole number from "
                 "{0} to {1}; empty: drawn".format(*COUNT_RANGES["papers"])),
    RosterColumn("establishment", ("编制数", "单位编制数", "establishment"), "optional",
                 "the unit's establishment, a whole number from {0} to {1}, the same on each of "
                 "its rows; empty: its headcount".format(*COUNT_RANGES["establishment"])),
    RosterColumn("id_number", ("身份证号", "身份证号码", "公民身份号码", "id number"), "identifier",
                 "identifier: hashed with the salt, then dropped"),
    RosterColumn("staff_number", ("人员编号", "工号", "staff number"), "identifier",
                 "identifier (used when there is no 身份证号): hashed, then dropped"),
    RosterColumn("name", ("姓名", "name"), "identifier",
                 "identifier (with 出生年月 and 单位, when there is no number): hashed, then dropped"),
)
BY_NAME = {c.name: c for c in COLUMNS}
IDENTIFIERS = ("id_number", "staff_number", "name")  # in order of preference

# common words for values that are not labels in the label table
EDUCATION_WORDS = {"专科": "junior_college", "大学专科": "junior_college",
                   "大学本科": "bachelor", "研究生": "master", "硕士研究生": "master",
                   "博士研究生": "doctorate"}
SEX_WORDS = {"男": "male", "女": "female", "male": "male", "female": "female",
             "m": "male", "f": "female"}
_COLUMN_FOR = header_index({c.name: c.headers for c in COLUMNS})


def column_for(header: str) -> str | None:
    """The internal name of a header (matched by :func:`titlesim.intake.normalise_header`),
    or None for a column titlesim does not use.

    >>> column_for("县（市、区）"), column_for("Unit Type"), column_for("备注")
    ('county', 'unit_type', None)
    """
    return _COLUMN_FOR(header)


def markdown_table(lang: str | None = None) -> str:
    """The mapping table as Markdown (for docs/ and ``titlesim roster columns``), in
    ``lang`` (default: the language in use)."""
    from titlesim.i18n import msg
    rows = [msg("roster.columns_header", lang), "|---|---|---|---|"]
    for c in COLUMNS:
        rows.append(f"| {c.header} | {', '.join(c.headers)} | {msg(f'roster.need_{c.need}', lang)} "
                    f"| {msg(f'roster.meaning_{c.name}', lang)} |")
    return "\n".join(rows)

# title names (现职称 as rosters often write it) and the level each is at
LEVEL_WORDS = {
    **dict.fromkeys(("医士", "医师", "护士", "护师", "药士", "药师", "技士", "技师", "二级教师",
                     "三级教师", "技术员", "助理工程师", "经济员", "助理经济师"), "junior"),
    **dict.fromkeys(("主治医师", "主管护师", "主管药师", "主管技师", "一级教师", "工程师",
                     "经济师"), "intermediate"),
    **dict.fromkeys(("副主任医师", "副主任护师", "副主任药师", "副主任技师", "高级教师",
                     "高级工程师", "高级经济师"), "deputy_senior"),
    **dict.fromkeys(("主任医师", "主任护师", "主任药师", "主任技师", "正高级教师",
                     "正高级工程师", "正高级经济师"), "full_senior"),
}

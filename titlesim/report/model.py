"""What a section builder returns: its heading, its sentences, its tables and figures.

Builders compute; they do no I/O. :class:`titlesim.report.Report` saves and shows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Table:
    """A table of the report: ``frame`` holds codes (``township_health_centre``) and
    rounded numbers, exactly as written to ``tables/<name>.csv``; labels are applied when
    shown and in the workbook. ``note`` says how to read it (e.g. what the total row is)."""

    name: str
    title: str
    frame: pd.DataFrame
    note: str = ""
    folded: bool = False  # shown folded (<details>) in the report: long reference tables
    compare_table: str = ""  # a comparison table (impact, diff, equity): labelled as compare.xlsx
    codes: tuple[str, ...] = ()  # code columns of the CSV file, shown to people by their labels
    # the column of parameter key paths that people need to write a revision file: shown
    # last, under its own header (参数路径（写入修订文件时使用）), never beside the names;
    # a table without one shows no key path (its CSV keeps them)
    key_paths: str = ""
    names: dict = field(default_factory=dict)  # scenario file name -> title, for people


@dataclass
class Figure:
    """A matplotlib figure with the numbers it draws (``figures/<name>.csv``)."""

    name: str
    title: str
    figure: object
    data: pd.DataFrame


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

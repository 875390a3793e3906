"""Dates as rosters write them: 2015, 2015-07, 2015/7/1, 2015.07, 2015年7月, 201507,
20150701, or an Excel date cell (read as ``2015-07-01 00:00:00``). Only the year is used
by the model (age and years at the current level are counted in whole years); the month
and day are checked, so that 2015-13 or 2015-02-30 is refused as an impossible date.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

_SEPARATED = (r"^(?P<y>\d{4})(?:\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?"
              r"(?:\s*[-/.]?\s*(?P<d>\d{1,2})\s*日?)?)?(?:\s+00:00:00)?$")
_COMPACT = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})?$"
EARLIEST = 1900


def parse_years(text: pd.Series) -> pd.Series:
    """The year of each date (float), NaN where the text is empty or not a possible date.

    >>> parse_years(pd.Series(["1985-07", "1985年7月", "198507", "2015-02-30", "2015-13", "x"])).tolist()
    [1985.0, 1985.0, 1985.0, nan, nan, nan]
    """
    text = text.fillna("").astype(str).str.strip()
    parts = text.str.extract(_SEPARATED)
    compact = text.str.extract(_COMPACT)
    parts = parts.where(parts["y"].notna(), compact)
    year = pd.to_numeric(parts["y"], errors="coerce")
    month = pd.to_numeric(parts["m"], errors="coerce")
    day = pd.to_numeric(parts["d"], errors="coerce")
    ok = year.notna() & (year >= EARLIEST)
    ok &= month.isna() | month.between(1, 12)
    has_day = day.notna() & ok & month.notna()
    if has_day.any():  # 2015-02-30 is not a date
        stamp = pd.to_datetime(pd.DataFrame({"year": year[has_day], "month": month[has_day],
                                             "day": day[has_day]}).astype(int), errors="coerce")
        ok[has_day] = stamp.notna()
    ok &= ~(day.notna() & month.isna())
    return year.where(ok, np.nan).astype(float)

"""Which gemeenten and Veilig Thuis-regio's existed in which year.

StatLine keeps discontinued regions listed with empty cells, and lists new ones
with empty cells for the years before they existed. Those cells are not
"geheim" (suppressed): the region simply did not exist then. The boundaries
per year (`geo_shapes`) tell which codes existed; a year before the first
boundary year uses the first one (the 2019 Veilig Thuis-regio's are those of
2020), a year after the last uses the last. Nederland, landsdelen and
provincies always exist.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vtdata.frames import per_unique
from vtdata.model.catalog import region_level
from vtdata.model.periods import period_year

TRACKED_LEVELS = ("GM", "VT")
ABSENT_LABEL = "bestond niet"
ABSENT_TEXT = "bestond in die periode nog niet of niet meer"


@dataclass(frozen=True)
class Lifetimes:
    """Codes per (level, boundary year); see `exists`."""

    codes: dict[tuple[str, int], frozenset[str]]

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Lifetimes:
        """`frame` has the columns level, year, code (one row per region and year)."""
        codes: dict[tuple[str, int], set[str]] = {}
        for level, year, code in zip(frame["level"], frame["year"], frame["code"]):
            codes.setdefault((str(level), int(year)), set()).add(str(code).strip())
        return cls({k: frozenset(v) for k, v in codes.items()})

    @classmethod
    def load(cls, db) -> Lifetimes:
        """From a `vtdata.storage.queries.Database` (its boundary tables)."""
        return cls.from_frame(db.query("SELECT DISTINCT level, year, code FROM geo_shapes"))

    def years(self, level: str) -> list[int]:
        return sorted(y for (lv, y) in self.codes if lv == level)

    def exists(self, code: str, year: int) -> bool:
        """Whether the region existed in `year` (True when nothing is known)."""
        level = region_level(code)
        if level not in TRACKED_LEVELS:
            return True
        years = self.years(level)
        if not years:
            return True
        boundary_year = min(max(year, years[0]), years[-1])
        if boundary_year not in years:  # a gap: the nearest earlier year
            boundary_year = max(y for y in years if y <= boundary_year)
        return code.strip() in self.codes[(level, boundary_year)]

    def span(self, code: str) -> tuple[int, int] | None:
        """First and last boundary year of a gemeente or VT-regio, None when untracked."""
        level = region_level(code)
        seen = [y for y in self.years(level or "") if code.strip() in self.codes[(level, y)]]
        return (seen[0], seen[-1]) if seen else None


def mark_absent(cells: pd.DataFrame, lifetimes: Lifetimes) -> pd.DataFrame:
    """Add `absent`: the region did not exist in that period, so its empty cell is not secret.

    Absent cells get suppressed=False and value NaN; every view leaves them out
    of trends, rankings and map classes and labels them "bestond nog niet / niet meer".
    """
    df = cells.copy()
    if df.empty:
        df["absent"] = pd.Series(dtype=bool)
        return df
    df["absent"] = per_unique(df, ["region", "period"], lambda r, p: not lifetimes.exists(str(r), period_year(str(p)))).astype(bool)
    if df["absent"].any():
        df.loc[df["absent"], "suppressed"] = False
        df.loc[df["absent"], "value"] = float("nan")
        for label in ("value_label", "rate_label", "share_label"):
            if label in df.columns:
                df.loc[df["absent"], label] = ABSENT_LABEL
    return df


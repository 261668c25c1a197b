"""A view's observations as its cells: one row per region, period and category, with shares.

Honest statistics: StatLine's cells are kept exactly; a suppressed cell stays NaN with
`suppressed=True`, never 0, and never enters a share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vtdata.format import SUPPRESSED_LABEL, format_percent, format_value, is_missing
from vtdata.frames import per_unique
from vtdata.model.periods import is_provisional, period_label
from vtdata.model.view_spec import MODE_MEASURES, ViewSpec

CELL_COLUMNS = [
    "table_id",
    "region",
    "region_title",
    "period",
    "period_title",
    "period_status",
    "period_label",
    "provisional",
    "measure",
    "measure_title",
    "category",
    "category_title",
    "unit",
    "decimals",
    "value",
    "suppressed",
    "value_label",
    "breakdown",
]


def to_cells(obs: pd.DataFrame, spec: ViewSpec) -> pd.DataFrame:
    """Observations -> one row per (region, period, category) of the view."""
    if obs is None or obs.empty:
        return pd.DataFrame(columns=CELL_COLUMNS)
    df = obs.copy()
    if spec.mode == MODE_MEASURES:
        df["category"] = df["measure"].astype(str)
        df["category_title"] = df["measure_title"].astype(str)
        keep = set(spec.category_keys)
        df = df[df["category"].isin(keep)]
    else:
        df = df[df["measure"].astype(str) == str(spec.measure)]
        for dim, key in spec.fixed:
            if dim in df.columns:
                df = df[df[dim].astype(str) == key]
        df["category"] = df[spec.dimension].astype(str)
        df["category_title"] = df[f"{spec.dimension}_title"].astype(str)
        df = df[df["category"].isin(set(spec.category_keys))]
    labels = {c.key: c.label for c in spec.categories}
    df["category_title"] = df["category"].map(labels).fillna(df["category_title"])
    df["breakdown"] = df["category"].map({c.key: c.breakdown for c in spec.categories})
    df["suppressed"] = df["suppressed"].astype(bool) | df["value"].isna()
    df.loc[df["suppressed"], "value"] = float("nan")
    df["decimals"] = df["decimals"].fillna(0).astype(int)
    df["provisional"] = per_unique(df, ["period_status"], is_provisional).astype(bool)
    df["period_label"] = per_unique(df, ["period", "period_status"], lambda p, s: period_label(p, s if isinstance(s, str) else ""))
    df["value_label"] = per_unique(df, ["value", "unit", "decimals", "suppressed"], format_value)
    order = {k: i for i, k in enumerate(spec.category_keys)}
    df["_order"] = df["category"].map(order)
    df = df.sort_values(["period", "region", "_order"], kind="stable").drop(columns="_order")
    extra = [c for c in df.columns if c not in CELL_COLUMNS]
    return df[CELL_COLUMNS + extra].reset_index(drop=True)


def add_shares(cells: pd.DataFrame, spec: ViewSpec) -> pd.DataFrame:
    """Add `share` (fraction of the total of the same region and period) and `share_label`.

    share = category / total, only for the view's `share_parts` (exclusive
    parts that divide the total, so the shares of one region and period add up
    to at most 100 % plus rounding); NaN for the total, subtotals, multi-answer
    categories, when either cell is suppressed or the total is 0. Percent-unit
    measures and views without a real total get no share.
    """
    df = cells.copy()
    df["share"] = float("nan")
    if df.empty or not spec.has_shares:
        df["share_label"] = ""
        return df
    # each cell's total (that of its region and period; the first, if repeated) from a dictionary:
    # a merge's fixed cost was most of the shares of a region's cells
    places = list(zip(df["region"].tolist(), df["period"].tolist()))
    totals: dict = {}
    for place, is_total, value in zip(places, (df["category"] == spec.total_key).tolist(), df["value"].tolist()):
        if is_total and place not in totals:
            totals[place] = value
    df["_total"] = np.array([totals.get(place, np.nan) for place in places], dtype=float)
    drawn = df["category"].isin(set(spec.share_keys))
    ok = drawn & df["value"].notna() & df["_total"].notna() & (df["_total"] > 0)
    df.loc[ok, "share"] = df.loc[ok, "value"] / df.loc[ok, "_total"]
    labels = np.full(len(df), "", dtype=object)
    known = (drawn & df["share"].notna()).to_numpy()
    labels[known] = [share_label(s) for s in df["share"].to_numpy()[known]]
    labels[(drawn & df["suppressed"].astype(bool)).to_numpy()] = SUPPRESSED_LABEL
    df["share_label"] = labels
    return df.drop(columns="_total")


def share_label(share: float, suppressed: bool = False) -> str:
    if suppressed:
        return SUPPRESSED_LABEL
    if is_missing(share):
        return ""
    return format_percent(share * 100, 1)

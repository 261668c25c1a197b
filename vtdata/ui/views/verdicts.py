"""Verdicts on a page: the same rows as `vtdata ranking` (core `ranking_for_view`), built once per view.

The ranking's whiskers and markers, the map's outlines and "wat valt op" all
read these rows, so they agree with each other and with the CLI by construction.
"""

from __future__ import annotations

import pandas as pd

from vtdata.figures import significance as sg
from vtdata.format import format_number
from vtdata.figures.ranking_rows import ranking_for_view
from vtdata.ui import charts, data
from vtdata.model.view_spec import same_category
from vtdata.ui.memo import built
from vtdata.ui.context import ViewContext, table_for_level

MARKS = {sg.HIGHER: "▲", sg.LOWER: "▼"}
COLUMNS = ["region", "value", "base", "lower", "upper", "verdict"]


def verdict_rows(ctx: ViewContext, level: str, category: str, measure: str) -> tuple[dict, pd.DataFrame]:
    """(Nederland, one row per region of the level: value, base, lower, upper, verdict) in the unit shown.

    Keyed by what the rows depend on, not by the whole view: every region of a level shares them,
    so choosing another region (or a map click) does not judge all regions again.
    """
    key = ("verdicts", ctx.theme.slug, ctx.spec, ctx.sel.period, ctx.sel.year, level, category, measure)
    return built(ctx.version, key, lambda: _verdict_rows(ctx, level, category, measure))


def _verdict_rows(ctx: ViewContext, level: str, category: str, measure: str) -> tuple[dict, pd.DataFrame]:
    table, codes = table_for_level(ctx.theme, level, ctx.sel.year)
    if table is None or not codes:
        return {}, pd.DataFrame(columns=COLUMNS)
    spec = ctx.spec_for(table)
    key = same_category(spec, category, ctx.spec.title_of(category))
    if key is None or measure == charts.MEASURE_SHARE and key not in spec.share_keys:
        return {}, pd.DataFrame(columns=COLUMNS)
    # the level's cells as the map and ranking have them (built once), not built a second time
    cells = ctx.cells(spec, codes, [ctx.sel.period])
    nederland, rows = ranking_for_view(data.database(), ctx.theme, spec, key, codes, ctx.sel.period, measure, cells=cells)
    return nederland, pd.DataFrame(rows, columns=[*COLUMNS, "region_title", "rank"])


def with_intervals(rows: pd.DataFrame, verdicts: pd.DataFrame, measure: str, basis: str = "inwoners") -> pd.DataFrame:
    """The ranking's rows with lower/upper in the chart's unit (a share as a fraction), base, verdict,
    a marker in the label (▲ significant hoger, ▼ lager) and the base next to the value."""
    if verdicts.empty or rows.empty:
        return rows
    scale = 100.0 if measure == charts.MEASURE_SHARE else 1.0
    found = verdicts.set_index("region")
    out = rows.copy()
    out["lower"] = [found["lower"].get(r) / scale if pd.notna(found["lower"].get(r)) else None for r in out["region"]]
    out["upper"] = [found["upper"].get(r) / scale if pd.notna(found["upper"].get(r)) else None for r in out["region"]]
    out["base"] = [found["base"].get(r) for r in out["region"]]
    out["verdict"] = [found["verdict"].get(r, "") for r in out["region"]]
    out["base_label"] = [base_text(b, measure, basis) for b in out["base"]]
    if "rank_label" in out.columns:
        out["rank_label"] = [f"{MARKS[v]} {label}" if v in MARKS else label for label, v in zip(out["rank_label"], out["verdict"])]
    return out


def base_text(base, measure: str, basis: str = "inwoners") -> str:
    """'n = 95' (the total a share is taken from) or '12.345 inw.' (the population of a rate or count)."""
    if base is None or pd.isna(base):
        return ""
    if measure == charts.MEASURE_SHARE:
        return f"n = {format_number(base)}"
    return f"{format_number(base)} {'minderj.' if basis == 'minderjarigen' else 'inw.'}"

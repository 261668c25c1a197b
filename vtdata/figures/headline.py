"""Headline figures: the numbers a page opens with (pure shaping, no Streamlit).

For a region and period: a few figures ("items": topics of the kerncijfers
table, or the total and one category of a theme), each for the region itself,
its own Veilig Thuis-regio (for a gemeente) and Nederland, with the change
against the same period a year earlier.

Rules, stated on the page:
- change = value now − value a year earlier; the percentage is that change /
  value a year earlier, only where both cells are known and the earlier value
  is at least `MIN_BASE_PCT` (rounding to multiples of 5 makes smaller bases swing);
- a suppressed cell stays "geheim" and gives no change; a region that did not
  exist yet or any more is "bestond niet", never "geheim".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd



from vtdata.model.view_spec import Category, MODE_MEASURES, ViewSpec
from vtdata.model.catalog import THEMES_BY_SLUG, region_level
from vtdata.format import format_number, format_percent, format_value, is_percent_unit
from vtdata.model.lifetimes import ABSENT_LABEL
from vtdata.model.periods import period_label

MIN_BASE_PCT = 20
MAX_ITEMS = 8

ROLE_REGION = "regio"
ROLE_VT = "vt"
ROLE_NL = "nl"

HEADLINE_COLUMNS = [
    "item", "item_title", "role", "region", "region_name", "period", "unit", "decimals",
    "value", "suppressed", "absent", "provisional", "value_label",
    "before_period", "before", "change", "change_pct", "change_label",
    "share", "share_label", "rate", "rate_label", "rate_basis",
]
# Optional derived columns copied from the cells when present.
_DERIVED = ("share", "share_label", "rate", "rate_label", "rate_basis")


@dataclass(frozen=True)
class Compared:
    role: str  # ROLE_REGION | ROLE_VT | ROLE_NL
    code: str
    name: str


def kerncijfers_table() -> str:
    return THEMES_BY_SLUG["kerncijfers"].tables[0]


def headline_measures(measures: pd.DataFrame, limit: int = MAX_ITEMS) -> list[Category]:
    """The first count topic of each topic group (StatLine order); without groups the first few counts."""
    ordered = measures.sort_values("position", kind="stable")
    counts = ordered[[not is_percent_unit(u) for u in ordered["unit"]]]
    if counts.empty:
        counts = ordered
    groups = counts["group_title"].fillna("").astype(str)
    if groups.nunique() > 1:
        counts = counts[~groups.duplicated()]
    return [
        Category(str(r.key), str(r.title), None if pd.isna(r.group_title) else str(r.group_title))
        for r in counts.head(limit).itertuples(index=False)
    ]


def measures_spec(table_id: str, items: list[Category], measures: pd.DataFrame) -> ViewSpec:
    """A view whose categories are the given topics (no total: topics need not add up)."""
    rows = measures[measures["key"].isin([c.key for c in items])]
    units = rows["unit"].dropna().astype(str).unique().tolist()
    return ViewSpec(
        table_id=table_id,
        mode=MODE_MEASURES,
        categories=tuple(items),
        total_key=None,
        unit=units[0] if len(units) == 1 else None,
        decimals=int(rows["decimals"].fillna(0).max()) if len(rows) else 0,
    )


def compared_regions(db, region: str, year: int) -> list[Compared]:
    """The region, its own Veilig Thuis-regio (for a gemeente) and Nederland."""
    regions = db.regions()
    names = dict(zip(regions["code"].astype(str), regions["name"].astype(str)))
    out = [Compared(ROLE_REGION, region, names.get(region, region))]
    level = region_level(region)
    if level == "GM":
        vt = db.vt_region_of(region, year)
        if vt and vt in names:
            out.append(Compared(ROLE_VT, vt, names[vt]))
    if level != "NL":
        nl = regions.loc[regions["level"] == "NL", "code"]
        if len(nl):
            out.append(Compared(ROLE_NL, str(nl.iloc[0]), names[str(nl.iloc[0])]))
    return out


def headline_rows(
    cells: pd.DataFrame,
    items: list[Category],
    compared: list[Compared],
    period: str,
    before_period: str | None,
) -> pd.DataFrame:
    """One row per (item, compared region): the value now, a year earlier and the change.

    `cells` are `to_cells` rows (marked with `absent`) holding at least the
    compared regions in `period` and `before_period`; an item a region lacks
    becomes a row with no value ("geen gegevens").
    """
    index = {(r, p, c): row for r, p, c, row in zip(cells["region"], cells["period"], cells["category"], cells.to_dict("records"))}
    rows = []
    for item in items:
        for cmp in compared:
            now = index.get((cmp.code, period, item.key))
            before = index.get((cmp.code, before_period, item.key)) if before_period else None
            rows.append(_row(item, cmp, period, now, before_period, before))
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS)


def _known(cell) -> float | None:
    if cell is None or cell.get("suppressed") or cell.get("absent") or pd.isna(cell.get("value")):
        return None
    return float(cell["value"])


def _row(item, cmp: Compared, period: str, now, before_period, before) -> dict:
    value, earlier = _known(now), _known(before)
    change = change_pct = None
    if value is not None and earlier is not None:
        change = value - earlier
        if earlier >= MIN_BASE_PCT:
            change_pct = change / earlier * 100
    unit = None if now is None else now.get("unit")
    decimals = 0 if now is None else int(now.get("decimals") or 0)
    return {
        "item": item.key,
        "item_title": item.title,
        "role": cmp.role,
        "region": cmp.code,
        "region_name": cmp.name,
        "period": period,
        "unit": unit,
        "decimals": decimals,
        "value": value,
        "suppressed": bool(now is not None and now.get("suppressed")),
        "absent": bool(now is not None and now.get("absent")),
        "provisional": bool(now is not None and now.get("provisional")),
        "value_label": _value_label(now, unit, decimals),
        "before_period": before_period,
        "before": earlier,
        "change": change,
        "change_pct": change_pct,
        "change_label": change_label(change, change_pct, unit, decimals),
        **{col: (None if now is None else now.get(col)) for col in _DERIVED},
    }


def _value_label(cell, unit, decimals) -> str:
    if cell is None:
        return format_value(None, unit, decimals)
    if cell.get("absent"):
        return ABSENT_LABEL
    return format_value(cell.get("value"), unit, decimals, suppressed=bool(cell.get("suppressed")))


def signed(text: str, value: float) -> str:
    return ("+" if value > 0 else "") + text if value >= 0 else "−" + text.lstrip("-")


def change_label(change: float | None, change_pct: float | None, unit: str | None, decimals: int) -> str:
    """'+120 (+4,5%)', '−15', or '' when no change can be computed."""
    if change is None:
        return ""
    if is_percent_unit(unit):
        return signed(format_number(abs(change), max(decimals, 1)), change) + " procentpunt"
    text = signed(format_number(abs(change), decimals), change)
    if change_pct is not None:
        text += f" ({signed(format_percent(abs(change_pct), 1), change_pct)})"
    return text


def change_rule(before_period: str | None, period: str) -> str:
    if not before_period:
        return ""
    return (
        f"Verandering = {period_label(period)} − {period_label(before_period)}; het percentage is die "
        f"verandering gedeeld door {period_label(before_period)}, alleen waar dat minstens {MIN_BASE_PCT} is."
    )


def theme_items(spec: ViewSpec, category: str | None) -> list[Category]:
    """A theme's headline items: its total and one category (e.g. acute onveiligheid)."""
    items = [c for c in spec.categories if c.key == spec.total_key]
    items += [c for c in spec.categories if c.key == category and c.key != spec.total_key]
    return items

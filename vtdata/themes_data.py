"""Pure data shaping for the theme pages (no Streamlit).

A theme page shows one table of the catalog as a set of "categories": the
categories of one of its other dimensions (the others held at their total), or,
for a table without other dimensions, its topics (measures) grouped by their
topic group. Everything here works on the tidy frames of `vtdata.queries` and
is unit-testable without a browser.

Honest statistics: StatLine's cells are kept exactly; a suppressed cell stays
NaN with `suppressed=True`, never 0, and never enters a share, a sum, a ratio or
a change.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from vtdata.catalog import Theme
from vtdata.periods import is_half_year, period_label, period_year
from vtdata.format import (
    SUPPRESSED_LABEL,
    format_number,
    format_percent,
    format_value,
    is_percent_unit,
)

MODE_DIMENSION = "dimension"
MODE_MEASURES = "measures"

# Symbols of the CSV export, as StatLine uses them.
SYMBOL_SUPPRESSED = "."
SYMBOL_PROVISIONAL = "*"

# "Wat valt op" rules (stated on the page, see `describe_*`).
OUTLIER_RATIO = 1.5
OUTLIER_MIN_TOTAL = 50
RISE_MIN_BASE = 50


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    group: str | None = None


@dataclass(frozen=True)
class ViewSpec:
    """What a theme page shows for one table and the user's choices.

    `mode` is MODE_DIMENSION (categories of `dimension`, the other dimensions
    fixed at the keys in `fixed`, one `measure`) or MODE_MEASURES (categories
    are the measures of topic group `group`).
    """

    table_id: str
    mode: str
    categories: tuple[Category, ...]
    total_key: str | None
    unit: str | None
    decimals: int
    measure: str | None = None
    measure_title: str | None = None
    dimension: str | None = None
    dimension_title: str | None = None
    fixed: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    group: str | None = None

    @property
    def category_keys(self) -> list[str]:
        return [c.key for c in self.categories]

    @property
    def is_percent(self) -> bool:
        return is_percent_unit(self.unit)

    @property
    def has_shares(self) -> bool:
        """Shares of the total make sense for counts with a known total."""
        return self.total_key is not None and not self.is_percent

    @property
    def parts(self) -> tuple[Category, ...]:
        """The categories without the total."""
        return tuple(c for c in self.categories if c.key != self.total_key)

    def title_of(self, key: str) -> str:
        for c in self.categories:
            if c.key == key:
                return c.title
        return key

    def query_args(self) -> dict:
        """Keyword arguments for `Database.observations` (besides regions/periods)."""
        if self.mode == MODE_MEASURES:
            return {"measures": tuple(self.category_keys), "categories": None}
        cats = {self.dimension: tuple(self.category_keys)}
        for dim, key in self.fixed:
            cats[dim] = (key,)
        return {"measures": (self.measure,), "categories": cats}


# ---------------------------------------------------------------------------
# Choosing the table, the categories and the total


def pick_table(theme: Theme, holding: list[str] | tuple[str, ...]) -> str | None:
    """The first of the theme's tables (in order of preference) that holds the region."""
    held = set(holding)
    for table_id in theme.tables:
        if table_id in held:
            return table_id
    return None


def is_total_title(title: str | None) -> bool:
    return (title or "").strip().lower().startswith("totaal")


def total_key_of(categories: pd.DataFrame) -> str | None:
    """The total of a dimension: the category titled "Totaal…", else the first."""
    if categories is None or categories.empty:
        return None
    ordered = _by_position(categories)
    for key, title in zip(ordered["key"], ordered["title"]):
        if is_total_title(title):
            return str(key)
    return str(ordered["key"].iloc[0])


def _by_position(frame: pd.DataFrame) -> pd.DataFrame:
    if "position" in frame.columns:
        return frame.sort_values("position", kind="stable")
    return frame


def theme_categories(theme: Theme, categories: pd.DataFrame) -> list[Category]:
    """The categories of a dimension that belong to the theme, in StatLine order."""
    out = []
    for row in _by_position(categories).itertuples(index=False):
        group = getattr(row, "group_title", None)
        group = None if _missing(group) else str(group)
        if theme.selects_group(group):
            out.append(Category(str(row.key), str(row.title), group))
    return out


def measure_groups(measures: pd.DataFrame) -> list[str]:
    """Topic groups of a table in StatLine order ('' for ungrouped topics)."""
    seen: list[str] = []
    for g in _by_position(measures)["group_title"].tolist():
        g = "" if _missing(g) else str(g)
        if g not in seen:
            seen.append(g)
    return seen


def measures_in_group(measures: pd.DataFrame, group: str) -> pd.DataFrame:
    groups = measures["group_title"].fillna("").astype(str)
    return _by_position(measures[groups == group])


def group_label(group: str) -> str:
    return group if group else "Overige onderwerpen"


def dimension_view(
    theme: Theme,
    table_id: str,
    measures: pd.DataFrame,
    dimensions: pd.DataFrame,
    categories_of,  # callable(dimension_key) -> categories frame
    *,
    measure: str | None,
    dimension: str | None,
) -> ViewSpec:
    """A view of a table with other dimensions; invalid choices fall back to defaults."""
    measures = _by_position(measures)
    mkeys = measures["key"].astype(str).tolist()
    if measure not in mkeys:
        measure = mkeys[0]
    mrow = measures[measures["key"] == measure].iloc[0]
    dims = _by_position(dimensions)
    dkeys = dims["key"].astype(str).tolist()
    if dimension not in dkeys:
        dimension = dkeys[0]
    drow = dims[dims["key"] == dimension].iloc[0]
    cats = categories_of(dimension)
    chosen = theme_categories(theme, cats)
    total = total_key_of(cats)
    if total is not None and total not in {c.key for c in chosen}:
        trow = cats[cats["key"] == total].iloc[0]
        chosen.insert(0, Category(total, str(trow["title"]), None))
    fixed = []
    for other in dkeys:
        if other != dimension:
            tk = total_key_of(categories_of(other))
            if tk is not None:
                fixed.append((other, tk))
    return ViewSpec(
        table_id=table_id,
        mode=MODE_DIMENSION,
        categories=tuple(chosen),
        total_key=total,
        unit=_str_or_none(mrow.get("unit")),
        decimals=_int(mrow.get("decimals")),
        measure=measure,
        measure_title=str(mrow["title"]),
        dimension=dimension,
        dimension_title=str(drow["title"]),
        fixed=tuple(fixed),
    )


def measures_view(table_id: str, measures: pd.DataFrame, *, group: str | None) -> ViewSpec:
    """A view of a table without other dimensions: the topics of one topic group.

    The total is the topic titled "Totaal…" of the group; without one no shares
    are computed (the topics of a group need not add up).
    """
    groups = measure_groups(measures)
    if group not in groups:
        group = groups[0]
    rows = measures_in_group(measures, group)
    cats = [Category(str(r.key), str(r.title), group or None) for r in rows.itertuples(index=False)]
    total = None
    for c in cats:
        if is_total_title(c.title):
            total = c.key
            break
    units = rows["unit"].dropna().astype(str).unique().tolist()
    decimals = rows["decimals"].dropna()
    return ViewSpec(
        table_id=table_id,
        mode=MODE_MEASURES,
        categories=tuple(cats),
        total_key=total,
        unit=units[0] if units else None,
        decimals=int(decimals.max()) if len(decimals) else 0,
        group=group,
    )


# ---------------------------------------------------------------------------
# Cells: observations in the shape every chart and table uses

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
    df["suppressed"] = df["suppressed"].astype(bool) | df["value"].isna()
    df.loc[df["suppressed"], "value"] = float("nan")
    df["decimals"] = df["decimals"].fillna(0).astype(int)
    df["provisional"] = df["period_status"].fillna("").astype(str).str.lower().str.startswith("voorlopig")
    df["period_label"] = [period_label(p, s) for p, s in zip(df["period"], df["period_status"].fillna(""))]
    df["value_label"] = [
        format_value(v, u, d, s) for v, u, d, s in zip(df["value"], df["unit"], df["decimals"], df["suppressed"])
    ]
    order = {k: i for i, k in enumerate(spec.category_keys)}
    df["_order"] = df["category"].map(order)
    df = df.sort_values(["period", "region", "_order"], kind="stable").drop(columns="_order")
    extra = [c for c in df.columns if c not in CELL_COLUMNS]
    return df[CELL_COLUMNS + extra].reset_index(drop=True)


def add_shares(cells: pd.DataFrame, spec: ViewSpec) -> pd.DataFrame:
    """Add `share` (fraction of the total of the same region and period) and `share_label`.

    share = category / total; NaN when either cell is suppressed or the total is 0,
    and for the total itself (it would be 100%). Percent-unit measures get no share.
    """
    df = cells.copy()
    df["share"] = float("nan")
    if df.empty or not spec.has_shares:
        df["share_label"] = ""
        return df
    totals = (
        df[df["category"] == spec.total_key][["region", "period", "value"]]
        .rename(columns={"value": "_total"})
        .drop_duplicates(["region", "period"])
    )
    df = df.merge(totals, on=["region", "period"], how="left")
    ok = df["value"].notna() & df["_total"].notna() & (df["_total"] > 0) & (df["category"] != spec.total_key)
    df.loc[ok, "share"] = df.loc[ok, "value"] / df.loc[ok, "_total"]
    df["share_label"] = [share_label(s, sup) for s, sup in zip(df["share"], df["suppressed"])]
    df.loc[df["category"] == spec.total_key, "share_label"] = ""
    return df.drop(columns="_total")


def share_label(share: float, suppressed: bool = False) -> str:
    if suppressed:
        return SUPPRESSED_LABEL
    if _missing(share):
        return ""
    return format_percent(share * 100, 1)


def share_rule_text(spec: ViewSpec) -> str:
    """The sentence that says how shares are computed."""
    if not spec.has_shares:
        return ""
    total_title = spec.title_of(spec.total_key)
    return (
        f"Aandeel berekend als aantal in de categorie / {total_title} "
        "(zelfde regio en periode); afgeronde CBS-aantallen, daardoor tellen aandelen "
        "niet altijd op tot 100%. Geheime cellen tellen niet mee."
    )


# ---------------------------------------------------------------------------
# Periods


def half_year_periods(periods: pd.DataFrame) -> pd.DataFrame:
    """Half-year periods, oldest first."""
    hj = periods[periods["code"].astype(str).map(is_half_year)]
    return hj.sort_values("code").reset_index(drop=True)


def same_period_year_before(code: str) -> str:
    """2024HJ01 -> 2023HJ01; 2024JJ00 -> 2023JJ00."""
    return f"{period_year(code) - 1}{code.strip()[4:]}"


# ---------------------------------------------------------------------------
# "Wat valt op"


def notable_regions(
    cells: pd.DataFrame,
    national_share: float | None,
    totals: pd.DataFrame,
    *,
    ratio: float = OUTLIER_RATIO,
    min_total: int = OUTLIER_MIN_TOTAL,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Regions whose share is at least `ratio`× (or at most 1/`ratio`×) the national share.

    `cells` holds one category for many regions with a `share` column; `totals`
    maps region -> total (value of the total category). Only regions with a
    known total of at least `min_total` count (small numbers swing by rounding);
    suppressed cells never enter. Returns (above, below), strongest first.
    """
    empty = pd.DataFrame(columns=["region", "region_title", "share", "ratio", "value"])
    if cells.empty or national_share is None or _missing(national_share) or national_share <= 0:
        return empty, empty
    df = cells[cells["share"].notna()].copy()
    df = df.merge(totals.rename("_total"), left_on="region", right_index=True, how="left")
    df = df[df["_total"].notna() & (df["_total"] >= min_total)]
    df["ratio"] = df["share"] / national_share
    above = df[df["ratio"] >= ratio].sort_values("ratio", ascending=False)
    below = df[df["ratio"] <= 1 / ratio].sort_values("ratio")
    cols = ["region", "region_title", "share", "ratio", "value"]
    return above[cols].reset_index(drop=True), below[cols].reset_index(drop=True)


def describe_outlier_rule(level_name_plural: str) -> str:
    return (
        f"Regel: {level_name_plural} met een aandeel van minstens {format_number(OUTLIER_RATIO, 1)}× "
        f"het landelijke aandeel (of hooguit 1/{format_number(OUTLIER_RATIO, 1)} daarvan), alleen waar het "
        f"totaal minstens {OUTLIER_MIN_TOTAL} is; geheime cellen doen niet mee."
    )


def strongest_rises(now: pd.DataFrame, before: pd.DataFrame, *, min_base: int = RISE_MIN_BASE, by: str = "category") -> pd.DataFrame:
    """Rises between the same period a year earlier and now, strongest relative rise first.

    Both cells must be known (not suppressed) and the earlier one at least
    `min_base`; `by` is the column that identifies the rows ("category" or
    "region"). Columns: key, title, before, now, change, change_pct.
    """
    title_col = f"{by}_title"
    a = before[before["value"].notna()][[by, title_col, "value"]].rename(columns={"value": "before"})
    b = now[now["value"].notna()][[by, "value"]].rename(columns={"value": "now"})
    df = a.merge(b, on=by, how="inner")
    df = df[df["before"] >= min_base]
    df["change"] = df["now"] - df["before"]
    df["change_pct"] = df["change"] / df["before"] * 100
    df = df[df["change"] > 0].sort_values(["change_pct", "change"], ascending=False)
    return df.rename(columns={by: "key", title_col: "title"}).reset_index(drop=True)


def describe_rise_rule(before_label: str, now_label: str) -> str:
    return (
        f"Berekend als (aantal {now_label} − aantal {before_label}) / aantal {before_label}; "
        f"alleen waar beide cellen bekend zijn en het eerdere aantal minstens {RISE_MIN_BASE} is."
    )


# ---------------------------------------------------------------------------
# Export and display tables


def export_frame(cells: pd.DataFrame, spec: ViewSpec, *, with_share: bool = False) -> pd.DataFrame:
    """Exactly what a chart shows, for the CSV download: codes, titles, value, symbol, table."""
    rows = pd.DataFrame(
        {
            "tabel": cells["table_id"].astype(str),
            "regio_code": cells["region"].astype(str),
            "regio": cells["region_title"].astype(str),
            "periode_code": cells["period"].astype(str),
            "periode": cells["period_title"].astype(str),
        }
    )
    if spec.mode == MODE_DIMENSION:
        rows["onderwerp_code"] = cells["measure"].astype(str)
        rows["onderwerp"] = cells["measure_title"].astype(str)
        rows[f"{spec.dimension}_code"] = cells["category"].astype(str)
        rows[spec.dimension] = cells["category_title"].astype(str)
        for dim, key in spec.fixed:
            rows[f"{dim}_code"] = key
            if f"{dim}_title" in cells.columns:
                rows[dim] = cells[f"{dim}_title"].astype(str)
    else:
        rows["onderwerp_code"] = cells["category"].astype(str)
        rows["onderwerp"] = cells["category_title"].astype(str)
    rows["eenheid"] = cells["unit"].fillna("").astype(str)
    rows["waarde"] = [None if s else v for v, s in zip(cells["value"], cells["suppressed"])]
    rows["symbool"] = [
        SYMBOL_SUPPRESSED if s else (SYMBOL_PROVISIONAL if p else "")
        for s, p in zip(cells["suppressed"], cells["provisional"])
    ]
    if with_share and "share" in cells.columns:
        rows["aandeel_procent"] = [None if _missing(s) else round(s * 100, 1) for s in cells["share"]]
    return rows.reset_index(drop=True)


def display_frame(cells: pd.DataFrame, *, with_share: bool = False, columns: tuple[str, ...] = ("region_title", "period_label", "category_title")) -> pd.DataFrame:
    """Dutch-formatted strings of the same figures, for the on-page table."""
    names = {"region_title": "Regio", "period_label": "Periode", "category_title": "Categorie"}
    out = pd.DataFrame({names[c]: cells[c].astype(str) for c in columns})
    out["Waarde"] = cells["value_label"].astype(str)
    if with_share and "share_label" in cells.columns:
        out["Aandeel"] = cells["share_label"].astype(str)
    out["Voorlopig"] = ["ja" if p else "" for p in cells["provisional"]]
    return out.reset_index(drop=True)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for Dutch spreadsheets: ';' separated, decimal comma, UTF-8 with BOM."""
    return frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text or "x"


def csv_filename(*parts: str) -> str:
    return "veilig-thuis_" + "_".join(slugify(p) for p in parts if p) + ".csv"


# ---------------------------------------------------------------------------


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return isinstance(value, float) and math.isnan(value) or value is pd.NA
    except TypeError:
        return False


def _str_or_none(value) -> str | None:
    return None if _missing(value) else str(value)


def _int(value) -> int:
    return 0 if _missing(value) else int(value)

"""`figures(db, view)`: the figures a link opens on, as its theme page shows them at the top.

For a theme page's link (`vtdata.model.view.View`): the view of the table the region
is published in (`spec_for`), the category chosen (or the page's default), and the
headline rows: the view's total and that category for the region, its own Veilig
Thuis-regio and Nederland, in the period and the same period a year before, each
region from its own table with the categories matched to the page's view.

The theme pages call `headline` with their memoised cells (`cells_of`), the CLI
(`python -m vtdata figures LINK`) calls `figures`, which builds them with
`figure_cells`; both therefore run the same steps. No Streamlit.
"""

from __future__ import annotations

import re

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from vtdata.figures import headline as hl
from vtdata.figures.pipeline import figure_cells
from vtdata.figures.view_cells import CELL_COLUMNS
from vtdata.model.catalog import THEMES, THEMES_BY_SLUG, Theme
from vtdata.model.lifetimes import Lifetimes
from vtdata.model.periods import is_period_code, period_label, period_rank, period_year, same_period_year_before
from vtdata.model.view import Lookups, View
from vtdata.model.view_spec import MODE_MEASURES, Category, ViewSpec, default_category, pick_table, same_category, spec_for

# (spec, regions, periods) -> cells of those regions and periods in the spec's table
CellsOf = Callable[[ViewSpec, list[str], list[str]], pd.DataFrame]
# table id -> the page's choices applied to that table of the theme
SpecOf = Callable[[str], ViewSpec]


DEFAULT_REGION = "NL01"


class FiguresError(ValueError):
    """A link that names no theme page or no region with figures: one Dutch sentence."""


@dataclass(frozen=True)
class ViewFigures:
    view: View
    theme: Theme
    spec: ViewSpec
    category: str | None  # the category the page opens on (the link's, else the default)
    rows: pd.DataFrame  # `vtdata.figures.headline.headline_rows`


def category_options(spec: ViewSpec) -> list[str]:
    """Categories a user can put on the map or in a ranking: the parts, else every category."""
    return [c.key for c in spec.parts] or spec.category_keys


def page_category(theme: Theme, spec: ViewSpec, national_cells: Callable[[], pd.DataFrame] | None) -> str | None:
    """The category a page opens on: the theme's headline category (catalog pattern), else the largest
    part in Nederland (`national_cells`, read only when needed), else the first option."""
    options = category_options(spec)
    if theme.headline:
        for c in spec.categories:
            if c.key in options and re.search(theme.headline, c.label, re.I):
                return c.key
    if national_cells is not None:
        key = default_category(spec, national_cells())
        if key in options:
            return key
    return options[0] if options else None


def link_lookups(db) -> Lookups:
    """What a link's region and period are checked against (`View.from_query`), with the pages' defaults:
    Nederland and the newest period (a year before its half-years)."""
    regions = db.regions()
    codes = [str(c).strip() for c, lv in zip(regions["code"], regions["level"]) if lv in ("NL", "LD", "PV", "VT", "GM")]
    names = dict(zip(regions["code"].astype(str).str.strip(), regions["name"].astype(str)))
    national = [str(c).strip() for c in regions.loc[regions["level"] == "NL", "code"]]
    default_region = DEFAULT_REGION if DEFAULT_REGION in codes else (national or codes or [""])[0]
    periods = db.periods()
    statuses = {str(c).strip(): s for c, s in zip(periods["code"], periods["status"]) if is_period_code(str(c).strip())}
    newest = max(statuses, key=period_rank, default="")
    status = statuses.get(newest)
    return Lookups(frozenset(codes), frozenset(statuses), default_region, newest,
                   default_region_label=names.get(default_region, default_region),
                   default_period_label=period_label(newest, status if isinstance(status, str) else None) if newest else "")


def figures(db, view: View, lifetimes: Lifetimes | None = None) -> ViewFigures:
    """The headline figures of a theme page's link (region and period already checked, e.g. by
    `View.from_query` with lookups)."""
    theme = THEMES_BY_SLUG.get(view.page)
    if theme is None:
        pages = ", ".join(t.slug for t in THEMES)
        raise FiguresError(f"'{view.page}' is geen themapagina; bekend zijn: {pages}.")
    table_id = pick_table(theme, db.tables_holding(view.region))
    if table_id is None:
        raise FiguresError(f"Voor regio {view.region} zijn er geen cijfers over het thema {theme.slug}.")
    # `onderwerp` is a measure, or for a table without other dimensions a topic group: spec_for uses the one that applies
    spec = spec_for(db, theme, table_id, measure=view.get("onderwerp"), dimension=view.get("indeling"),
                    group=view.get("onderwerp"))
    lifetimes = lifetimes or Lifetimes.load(db)

    def cells_of(other: ViewSpec, regions: list[str], periods: list[str]) -> pd.DataFrame:
        return figure_cells(db, other, regions, periods, lifetimes)

    nl = db.regions(["NL"])
    national = str(nl["code"].iloc[0]) if len(nl) else None
    category = view.get("categorie")
    if category not in category_options(spec):
        category = page_category(theme, spec, national and (
            lambda: region_cells(db, theme, spec, national, [view.period], [national], cells_of)))
    rows = headline(db, theme, spec, category, view.region, view.period, cells_of)
    return ViewFigures(view, theme, spec, category, rows)


def headline_items(db, spec: ViewSpec, category: str | None) -> tuple[ViewSpec, list[Category]]:
    """A table without other dimensions: its first topic per topic group; else the total and one category."""
    if spec.mode == MODE_MEASURES:
        measures = db.measures(spec.table_id)
        items = hl.headline_measures(measures)
        return hl.measures_spec(spec.table_id, items, measures), items
    return spec, hl.theme_items(spec, category)


def headline(db, theme: Theme, spec: ViewSpec, category: str | None, region: str, period: str,
             cells_of: CellsOf, spec_of: SpecOf | None = None) -> pd.DataFrame:
    """The headline rows of a page: items x (region, its VT-regio, Nederland), now and a year before."""
    shown, items = headline_items(db, spec, category)
    compared = hl.compared_regions(db, region, period_year(period))
    before = same_period_year_before(period)
    if before not in set(db.periods()["code"].astype(str)):
        before = None
    periods = [p for p in (period, before) if p]
    together = [c.code for c in compared]
    if shown is not spec:  # the topics of a table without other dimensions: each region as it is
        frames = [cells_of(shown, [c.code], periods) for c in compared]
    else:
        frames = [region_cells(db, theme, spec, c.code, periods, together, cells_of, spec_of) for c in compared]
    frames = [f for f in frames if not f.empty]
    cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CELL_COLUMNS + ["absent"])
    return hl.headline_rows(cells, items, compared, period, before)


def region_cells(db, theme: Theme, spec: ViewSpec, region: str, periods: list[str], together: list[str],
                 cells_of: CellsOf, spec_of: SpecOf | None = None) -> pd.DataFrame:
    """Cells of `region` in the theme's table that holds it, categories matched to `spec`.

    `together`: the regions compared with it; those in the same table are read at once
    (one query, and one cache entry in the pages)."""
    table = pick_table(theme, db.tables_holding(region))
    if table is None:
        return pd.DataFrame()
    if table == spec.table_id:
        other = spec
    elif spec_of is not None:
        other = spec_of(table)
    else:
        other = spec_for(db, theme, table, measure=spec.measure, dimension=spec.dimension, group=spec.group)
    same_table = [c for c in dict.fromkeys([*together, region]) if pick_table(theme, db.tables_holding(c)) == table]
    cells = cells_of(other, same_table if region in together else [region], periods)
    if cells.empty:
        return cells
    cells = cells[(cells["region"] == region) & cells["period"].isin(periods)].reset_index(drop=True)
    if other is spec or cells.empty:
        return cells
    cells["category"] = [same_category(spec, k, t) for k, t in zip(cells["category"], cells["category_title"])]
    return cells[cells["category"].notna()].reset_index(drop=True)

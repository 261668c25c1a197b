"""What every view of a theme page shares: the theme, the selection, the view spec,
the measure shown, and cached access to the view's cells.

The cells of a view are built once per database version and (spec, regions,
periods): observations -> `to_cells` -> shares -> "bestond niet" marks ->
rates per 1.000 inwoners. Views only compose them; the frames are shared
between sessions (see `vtdata.ui.memo`) and never modified in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from vtdata.figures import headline
from vtdata.model.periods import half_year_periods, same_period_year_before
from vtdata.figures import view_figures
from vtdata.model.view_spec import MODE_DIMENSION, ViewSpec, pick_table, same_category, spec_for
from vtdata.format import slugify
from vtdata.outputs.view_export import csv_filename
from vtdata.model.catalog import THEMES_BY_SLUG, Theme
from vtdata.figures.pipeline import figure_cells
from vtdata.figures.rates import RATE_COLUMNS, population_year
from vtdata.figures.headline import Compared
from vtdata.model.lifetimes import Lifetimes
from vtdata.ui import data
from vtdata.ui.memo import built, memo
from vtdata.ui.segments import segment
from vtdata.model.view import View

# What a chart, map or ranking shows (query param `toon`).
SHOW_RATE = "per1000"
SHOW_SHARE = "aandeel"
SHOW_COUNT = "aantal"
SHOW_LABELS = {SHOW_RATE: "Per 1.000 inwoners", SHOW_SHARE: "Aandeel", SHOW_COUNT: "Aantal"}

LEVEL_PLURAL = {"GM": "gemeenten", "VT": "Veilig Thuis-regio's", "PV": "provincies"}
LEVEL_LABELS = {"GM": "Gemeenten", "VT": "Veilig Thuis-regio's", "PV": "Provincies"}


@memo(maxsize=2)
def lifetimes(version: str) -> Lifetimes:
    return Lifetimes.load(data.database())


@memo(maxsize=512)
def view_spec(version: str, slug: str, table_id: str, measure: str | None, dimension: str | None, group: str | None) -> ViewSpec:
    return spec_for(data.database(), THEMES_BY_SLUG[slug], table_id, measure=measure, dimension=dimension, group=group)


# Up to this many regions, a view's cells are read from each region's history (below).
FEW_REGIONS = 4


@memo(maxsize=1024)
def view_cells(version: str, spec: ViewSpec, regions: tuple[str, ...] | None, periods: tuple[str, ...]) -> pd.DataFrame:
    if regions is not None and 0 < len(regions) <= FEW_REGIONS and set(periods) <= set(history_periods(version)):
        cells = cells_from_histories([region_history(version, spec, r) for r in regions], periods)
        # `figure_cells` adds rates only when some population row of these regions and years exists
        years, people = {population_year(p) for p in periods}, population_rows(version)
        if not any((r, y) in people for r in regions for y in years):
            cells = cells.drop(columns=[c for c in RATE_COLUMNS if c in cells.columns])
        return cells
    return figure_cells(data.database(), spec, regions, periods, lifetimes(version))


@memo(maxsize=128)  # ~240 KB each (a region's 19 periods of a 22-category view): at most ~30 MB
def region_history(version: str, spec: ViewSpec, region: str) -> pd.DataFrame:
    """One region's cells in every period, built once: the headline, the comparison and the
    trend of a region are slices of it, so a new period builds no cells and a new region one
    history instead of a small pipeline per part (each ~25 ms, mostly pandas' fixed costs).
    Every cell depends only on its own region and period, so a slice equals a direct build
    (`tests/test_region_history.py`)."""
    return figure_cells(data.database(), spec, (region,), history_periods(version), lifetimes(version))


@memo(maxsize=2)
def history_periods(version: str) -> tuple[str, ...]:
    """Every period of the database, half-years and years: a change to a year is a slice too."""
    return tuple(sorted(data.periods_at(version)["code"].astype(str)))


@memo(maxsize=2)
def population_rows(version: str) -> frozenset[tuple[str, int]]:
    """(region, year) of every population row (with or without figures) the histories' years have."""
    db = data.database()
    if not hasattr(db, "population"):
        return frozenset()
    people = db.population(None, sorted({population_year(p) for p in history_periods(version)}))
    return frozenset((str(r), int(y)) for r, y in zip(people["region"], people["year"]))


def cells_from_histories(histories: list[pd.DataFrame], periods: tuple[str, ...]) -> pd.DataFrame:
    """The rows of `periods` from some regions' histories, in `figure_cells`' order (period, region,
    category order; the sort is stable, so each history's category order stays)."""
    wanted = set(periods)
    parts = [h[h["period"].isin(wanted)] for h in histories]
    parts = [p for p in parts if len(p)] or parts[:1]
    frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    return frame.sort_values(["period", "region"], kind="stable").reset_index(drop=True)


def table_for(theme: Theme, region: str) -> str | None:
    return pick_table(theme, data.tables_holding(region))


def level_codes(level: str, year: int) -> list[str]:
    """The regions of a level in a year (that year's boundaries), read once per version."""
    return _level_codes(data.get_db().version, level, year)


@memo(maxsize=64)
def _level_codes(version: str, level: str, year: int) -> list[str]:
    shapes = data.shapes(level, year)
    if shapes is not None and not shapes.empty:
        return shapes["code"].astype(str).tolist()
    return data.regions([level])["code"].astype(str).tolist()


def half_years() -> pd.DataFrame:
    """The half-year periods (code, title, status, ...), oldest first, once per version."""
    return _half_years(data.get_db().version)


@memo(maxsize=2)
def _half_years(version: str) -> pd.DataFrame:
    return half_year_periods(data.periods())


def table_for_level(theme: Theme, level: str, year: int) -> tuple[str | None, list[str]]:
    """The theme's table for all regions of a level, and those region codes (that year's shapes)."""
    codes = level_codes(level, year)
    for code in codes[:5]:
        table = table_for(theme, code)
        if table:
            return table, codes
    return None, codes


def national_code() -> str | None:
    nl = data.regions(["NL"])
    return None if nl.empty else str(nl["code"].iloc[0])


def compared_regions(region: str, year: int) -> list[Compared]:
    """The region, its own Veilig Thuis-regio (for a gemeente) and Nederland, once per version."""
    return _compared_regions(data.get_db().version, region, year)


@memo(maxsize=256)
def _compared_regions(version: str, region: str, year: int) -> list[Compared]:
    return headline.compared_regions(data.database(), region, year)


def population_missing_reason() -> str | None:
    """None when rates per 1.000 inwoners can be computed, else why not (Dutch)."""
    return population_reason(data.get_db().version)


@memo(maxsize=2)
def population_reason(version: str) -> str | None:
    return data.database().population_status()


def show_options(spec: ViewSpec, theme: Theme | None = None) -> list[str]:
    """What the page can show, the default first: rates for counts when population is known, shares
    among exclusive parts, counts. A theme whose question is a share (`Theme.opens_on_share`:
    aandeel acute onveiligheid) opens on the share."""
    options = []
    if not spec.is_percent and population_missing_reason() is None:
        options.append(SHOW_RATE)
    if spec.has_shares:
        options.insert(0 if theme is not None and theme.opens_on_share else len(options), SHOW_SHARE)
    options.append(SHOW_COUNT)
    return options


@dataclass
class ViewContext:
    theme: Theme
    sel: object  # vtdata.ui.state.Selection
    spec: ViewSpec
    show: str = SHOW_COUNT
    version: str = field(default="")
    nl: str | None = None
    presenting: bool = False
    explanations: list[str] = field(default_factory=list)
    view: View = field(default_factory=View)  # everything the link says (vtdata.model.view), parsed once per run

    def __post_init__(self):
        self.version = self.version or data.get_db().version
        self.nl = self.nl or national_code()

    @property
    def scope(self) -> str:
        return self.theme.slug

    @property
    def measure(self) -> str:
        """The chart measure of the page's `toon` choice."""
        from vtdata.ui import charts

        return {SHOW_RATE: charts.MEASURE_RATE, SHOW_SHARE: charts.MEASURE_SHARE}.get(self.show, charts.MEASURE_COUNT)

    @property
    def region_measure(self) -> str:
        """For maps, rankings and region comparisons: a count across regions is a rate (or a share)."""
        from vtdata.ui import charts

        if self.show == SHOW_COUNT:
            return charts.MEASURE_COUNT
        if self.show == SHOW_SHARE or population_missing_reason() is not None:
            return charts.MEASURE_SHARE if self.spec.has_shares else charts.MEASURE_COUNT
        return charts.MEASURE_RATE

    def measure_for(self, category: str | None) -> str:
        """`region_measure` for one category: a share only for an exclusive part of the total."""
        from vtdata.ui import charts

        measure = self.region_measure
        if measure == charts.MEASURE_SHARE and category not in self.spec.share_keys:
            return charts.MEASURE_RATE if population_missing_reason() is None and not self.spec.is_percent else charts.MEASURE_COUNT
        return measure

    @property
    def unit_title(self) -> str:
        if self.spec.mode == MODE_DIMENSION and self.spec.measure_title:
            return self.spec.measure_title
        return "Waarde" if self.spec.is_percent else "Aantal"

    def cells(self, spec: ViewSpec, regions, periods) -> pd.DataFrame:
        regions = None if regions is None else tuple(sorted(dict.fromkeys(regions)))
        return view_cells(self.version, spec, regions, tuple(sorted(dict.fromkeys(periods))))

    def spec_for(self, table_id: str) -> ViewSpec:
        """The page's choices applied to another table of the theme (e.g. the VT-regio variant)."""
        if table_id == self.spec.table_id:
            return self.spec
        group = slugify(self.spec.group) if self.spec.group is not None else None
        return view_spec(self.version, self.theme.slug, table_id, self.spec.measure, self.spec.dimension, group)

    def region_cells(self, region: str, periods) -> pd.DataFrame:
        """Cells of `region` in its own table, categories aligned to the page's spec.

        The page compares the region with its Veilig Thuis-regio and Nederland in
        the selected period and a year before; their cells are built together, once.
        """
        periods = tuple(sorted(dict.fromkeys(periods)))
        key = ("region-cells", self.theme.slug, self.spec, self.sel.region, self.sel.period, region, periods)
        return built(self.version, key, lambda: self._region_cells(region, periods))

    def _region_cells(self, region: str, periods: tuple[str, ...]) -> pd.DataFrame:
        compared = [c.code for c in compared_regions(self.sel.region, self.sel.year)]
        return view_figures.region_cells(data.database(), self.theme, self.spec, region, list(periods), compared,
                                         self.cells_around, self.spec_for)

    def cells_around(self, spec: ViewSpec, regions, periods) -> pd.DataFrame:
        """`cells`, read for the selected period and the year before together (one cache entry for both)."""
        usual = {self.sel.period, same_period_year_before(self.sel.period)}
        return self.cells(spec, regions, sorted(usual | set(periods)) if set(periods) <= usual else periods)

    def level_cells(self, level: str, category: str, periods) -> tuple[pd.DataFrame, ViewSpec | None, str | None]:
        """Cells of one category for all regions of a level (that year's regions)."""
        from vtdata.model.periods import period_year

        periods = list(periods)
        table, codes = table_for_level(self.theme, level, period_year(periods[-1]))
        if table is None or not codes:
            return pd.DataFrame(), None, None
        spec = self.spec_for(table)
        key = same_category(spec, category, self.spec.title_of(category))
        if key is None:
            return pd.DataFrame(), spec, None
        cells = self.cells(spec, codes, periods)
        return cells[cells["category"] == key], spec, key

    @property
    def view_key(self) -> tuple:
        """What every part of the page depends on besides the database version: the resolved choices
        (a bad value in the link falls back to a default) and the whole link (`View.key`), so no choice
        in the URL can be left out of the key a drawing is replayed by."""
        return (self.theme.slug, self.spec, self.sel.region, self.sel.period, self.show, self.presenting, self.view.key())

    def built(self, build, *key):
        """`build()` once per version, view and `key` (pure shaping, nothing drawn)."""
        return built(self.version, (*self.view_key, *key), build)

    def segment(self, draw, *key):
        """Draw `draw()` (elements, no widgets) once per version, view and `key`; later runs
        replay its elements (`vtdata.ui.segments`). Its explanations are kept for "Uitleg"."""
        ran = []

        def build():
            ran.append(True)
            start = len(self.explanations)
            value = draw()
            return value, tuple(self.explanations[start:])

        value, explained = segment(self.version, (*self.view_key, *key), build)
        if not ran:
            self.explanations.extend(explained)
        return value

    def filename(self, *parts: str) -> str:
        return csv_filename(self.theme.slug, *parts)

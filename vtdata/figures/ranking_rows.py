"""The ranking of a theme as data: every region of a level with value, base, interval and verdict.

`ranking_rows(db, theme, category, level, period, measure)` is what
`python -m vtdata ranking` prints and what the theme pages' ranking, map marks
and "wat valt op" are meant to use, so all of them give the same numbers. It
builds the cells the way the pages do (`vtdata.model.view_spec` view specs and
cells, shares, `vtdata.figures.rates`, `vtdata.model.lifetimes`) and compares every region
with Nederland (`vtdata.figures.significance`). No Streamlit.

Units: a share in percent (value to one decimal), a rate per 1.000 inwoners
(or minderjarigen, by the category, as on the pages), a count as published.
The base is the total for a share and the population for a rate or a count. A
count has the Poisson interval of the count and the verdict of its rate: is the
count higher or lower than Nederland's rate predicts for the population? The
interval bounds carry one decimal more than the value so that the verdict can
be read off them. Bad input raises `RankingError` with one Dutch sentence.
"""

from __future__ import annotations


import pandas as pd

from vtdata.figures import significance as sg
from vtdata.model.view_spec import ViewSpec, dimension_view, measure_groups, measures_view, pick_table, same_category, spec_for
from vtdata.model.catalog import THEMES, THEMES_BY_SLUG, Theme
from vtdata.figures.pipeline import figure_cells
from vtdata.model.lifetimes import Lifetimes
from vtdata.model.periods import period_year
from vtdata.figures.rates import population_year, rate_decimals

MEASURE_SHARE, MEASURE_RATE, MEASURE_COUNT = "share", "rate", "count"
MEASURES = (MEASURE_SHARE, MEASURE_RATE, MEASURE_COUNT)
LEVELS = {"GM": "gemeenten", "VT": "Veilig Thuis-regio's", "PV": "provincies"}
SHARE_DECIMALS = 1
COLUMNS = ["region", "region_title", "rank", "value", "base", "lower", "upper", "verdict"]


class RankingError(ValueError):
    """Bad input (unknown theme, category, level, period or measure): one Dutch sentence."""


def ranking_rows(db, theme: str | Theme, category: str, level: str, period: str, measure: str = MEASURE_SHARE) -> tuple[dict, list[dict]]:
    """(nederland, rows) for one category of a theme, all regions of `level` in `period`.

    `category` is a StatLine key or a title (case-insensitive). Rows are
    ranked from the highest value (rank 1; ties share the lower rank); rows
    without a value (geheim, onbekend) follow without rank, then regions that
    did not exist (bestond niet).
    """
    theme = _theme(theme)
    level = str(level).strip().upper()
    if level not in LEVELS:
        raise RankingError(f"Onbekend niveau {level!r}; kies GM (gemeenten), VT (Veilig Thuis-regio's) of PV (provincies).")
    if measure not in MEASURES:
        raise RankingError(f"Onbekende maat {measure!r}; kies share (aandeel), rate (per 1.000) of count (aantal).")
    period = str(period).strip()
    if period not in set(db.periods()["code"].astype(str)):
        raise RankingError(f"Periode {period!r} komt niet voor in de database; bijvoorbeeld 2023HJ01 of 2023JJ00.")
    codes = _level_codes(db, level, period_year(period))
    table = _table_for(db, theme, codes)
    if table is None:
        raise RankingError(f"Het thema {theme.slug} heeft geen tabel met cijfers voor {LEVELS[level]}.")
    spec, key = _find_category(db, theme, table, category)
    _check_measure(db, spec, key, measure)
    nederland, rows = ranking_for_view(db, theme, spec, key, codes, period, measure)
    nederland.pop("value_exact", None)
    return nederland, rows


def ranking_for_view(db, theme: Theme, spec: ViewSpec, key: str, codes: list[str], period: str,
                     measure: str, cells: pd.DataFrame | None = None) -> tuple[dict, list[dict]]:
    """`ranking_rows` for a page's own view (`spec`, with its onderwerp and indeling) and regions:
    the page's ranking, funnel and "wat valt op" take their verdicts from here, as the CLI does.
    Nederland's row also has `value_exact` (unrounded, in the unit shown) for the funnel's line.
    `cells`: the page's `figure_cells` of `codes` in `period` when it has them (not modified)."""
    lifetimes = Lifetimes.load(db)
    national = _national(db, theme, spec, key, period, lifetimes)
    cells = _cells(db, spec, codes, period, lifetimes, cells)
    nl_compared = _compare(measure, national, None) if national is not None else None
    # a count is judged by its rate: Nederland's rate is the reference for both
    tested = MEASURE_SHARE if measure == MEASURE_SHARE else MEASURE_RATE
    reference = _compare(tested, national, None).value if national is not None else None
    rows = []
    for row in _rows_of(cells, spec, key):
        compared = _compare(measure, row, reference)
        rows.append({"region": row["region"], "region_title": row["region_title"], **_in_units(measure, compared)})
    nederland = {"region": None, "region_title": "Nederland", "value": None, "base": None, "lower": None, "upper": None}
    if national is not None:
        nederland = {"region": national["region"], "region_title": national["region_title"], **_in_units(measure, nl_compared)}
        nederland.pop("verdict")  # value_exact stays for the page's funnel; `ranking_rows` drops it
    return nederland, _ranked(rows)


def ranking_frame(nederland: dict, rows: list[dict]) -> pd.DataFrame:
    """The rows as a frame with the contract's columns and Nederland's value beside each (for CSV)."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["nederland"] = nederland.get("value")
    return frame


# ---------------------------------------------------------------------------
# Input


def _theme(theme) -> Theme:
    if isinstance(theme, Theme):
        return theme
    found = THEMES_BY_SLUG.get(str(theme).strip().lower())
    if found is None:
        raise RankingError(f"Onbekend thema {theme!r}; bekend zijn: {', '.join(t.slug for t in THEMES)}.")
    return found


def _level_codes(db, level: str, year: int) -> list[str]:
    """The regions of a level in a year: that year's boundaries, as the pages use."""
    shapes = db.shapes(level, year)
    if shapes is not None and not shapes.empty:
        return shapes["code"].astype(str).tolist()
    return db.regions([level])["code"].astype(str).tolist()


def _table_for(db, theme: Theme, codes: list[str]) -> str | None:
    for code in codes[:5]:
        table = pick_table(theme, db.tables_holding(code))
        if table:
            return table
    return None


def _views(db, theme: Theme, table: str):
    """Every view a page can show of the table (each dimension, or each topic group), page defaults first."""
    measures = db.measures(table)
    dims = db.dimensions(table)
    if dims.empty:
        for group in measure_groups(measures):
            yield measures_view(table, measures, group=group)
        return
    for dim in dims.sort_values("position")["key"].astype(str):
        yield dimension_view(theme, table, measures, dims, lambda d: db.categories(table, d), measure=None, dimension=dim)


def _find_category(db, theme: Theme, table: str, category: str) -> tuple[ViewSpec, str]:
    wanted = str(category).strip()
    specs = [s for s in _views(db, theme, table) if s.categories]
    for match in (lambda c: c.key == wanted, lambda c: c.title.strip().casefold() == wanted.casefold()):
        for spec in specs:
            for c in spec.categories:
                if match(c):
                    return spec, c.key
    known = list(dict.fromkeys(c.title for s in specs for c in s.categories))
    raise RankingError(f"Onbekende categorie {category!r} in thema {theme.slug}; bekend zijn: {', '.join(known)}.")


def _check_measure(db, spec: ViewSpec, key: str, measure: str) -> None:
    title = spec.title_of(key)
    if measure == MEASURE_SHARE and key not in spec.share_keys:
        why = spec.no_share_reason or "het is geen deel van een totaal dat elkaar uitsluitende delen heeft."
        raise RankingError(f"Geen aandeel voor '{title}': {why.rstrip('.')}; kies --measure rate of count.")
    if measure in (MEASURE_RATE, MEASURE_COUNT) and spec.is_percent:
        raise RankingError(f"'{title}' is zelf een percentage; per 1.000 of een aantal kan niet.")
    if measure == MEASURE_RATE and db.population_status() is not None:
        raise RankingError(db.population_status())


# ---------------------------------------------------------------------------
# Cells


def _cells(db, spec: ViewSpec, regions: list[str], period: str, lifetimes: Lifetimes,
           built: pd.DataFrame | None = None) -> pd.DataFrame:
    """As the pages build them (`vtdata.figures.pipeline.figure_cells`, or `built`), with the population each rate divides by."""
    cells = figure_cells(db, spec, regions, [period], lifetimes) if built is None else built.copy()
    population = db.population(regions, population_year(period))
    if len(population):
        people = {basis: dict(zip(population["region"], population[basis])) for basis in ("inwoners", "minderjarigen")}
        cells["population"] = [people[spec.basis_of(c)].get(r) for r, c in zip(cells["region"], cells["category"])]
    else:
        cells["population"] = None
    return cells


def _national(db, theme: Theme, spec: ViewSpec, key: str, period: str, lifetimes: Lifetimes) -> dict | None:
    """Nederland's row of the category, from its own table (the same view) when another table holds it."""
    nl = db.regions(["NL"])
    if nl.empty:
        return None
    code = str(nl["code"].iloc[0])
    nl_table = pick_table(theme, db.tables_holding(code))
    if nl_table is None:
        return None
    nl_spec, nl_key = spec, key
    if nl_table != spec.table_id:
        nl_spec = _same_view(db, theme, nl_table, spec)
        nl_key = same_category(nl_spec, key, spec.title_of(key))
        if nl_key is None:
            return None
    rows = list(_rows_of(_cells(db, nl_spec, [code], period, lifetimes), nl_spec, nl_key))
    return rows[0] if rows else None


def _same_view(db, theme: Theme, table: str, spec: ViewSpec) -> ViewSpec:
    """The view of another table of the theme with the same onderwerp and indeling (or topic group)."""
    return spec_for(db, theme, table, measure=spec.measure, dimension=spec.dimension, group=spec.group)


def _rows_of(cells: pd.DataFrame, spec: ViewSpec, key: str):
    """Per region: count, its total, population and status (plain values)."""
    if cells.empty:
        return
    # one dict, not a .loc per region: that lookup was most of a page's first ranking
    totals = {}
    if spec.total_key:
        rows = cells[cells["category"] == spec.total_key]
        totals = {r: (sg.number(v), bool(s)) for r, v, s in zip(rows["region"], rows["value"], rows["suppressed"])}
    for row in cells[cells["category"] == key].itertuples(index=False):
        total, total_secret = totals.get(row.region, (None, False))
        yield {
            "region": str(row.region),
            "region_title": str(row.region_title),
            "count": sg.number(row.value),
            "suppressed": bool(row.suppressed),
            "absent": bool(getattr(row, "absent", False)),
            "total": total,
            "total_suppressed": total_secret,
            "population": sg.number(row.population),
        }


# ---------------------------------------------------------------------------
# Comparison and ranking


def _compare(measure: str, row: dict, reference: float | None) -> sg.Comparison:
    """Fractions for a share, per 1.000 for a rate; a count keeps the count as value."""
    if measure == MEASURE_SHARE:
        secret = row["suppressed"] or row["total_suppressed"]
        return sg.compare_share(row["count"], row["total"], reference, suppressed=secret, absent=row["absent"])
    rate = sg.compare_rate(row["count"], row["population"], reference, suppressed=row["suppressed"], absent=row["absent"])
    if measure == MEASURE_RATE:
        return rate
    if rate.value is None:
        return sg.Comparison(None, rate.base, None, None, rate.verdict)
    lower, upper = sg.count_interval(row["count"])
    return sg.Comparison(row["count"], rate.base, lower, upper, rate.verdict)


def _in_units(measure: str, compared: sg.Comparison) -> dict:
    """value/lower/upper in the unit shown, rounded; base as a whole number."""
    value = compared.value
    if value is None:
        decimals = 0
    elif measure == MEASURE_SHARE:
        decimals = SHARE_DECIMALS
    elif measure == MEASURE_RATE:
        decimals = rate_decimals(value)
    else:
        decimals = 0
    scale = 100.0 if measure == MEASURE_SHARE else 1.0

    def shown(x, extra: int = 0):
        if x is None:
            return None
        return round(x * scale, decimals + extra) if decimals + extra else int(round(x * scale))

    return {
        "value": shown(value),
        "value_exact": None if value is None else value * scale,
        "base": None if compared.base is None else int(round(compared.base)),
        "lower": shown(compared.lower, 1),
        "upper": shown(compared.upper, 1),
        "verdict": compared.verdict,
    }


def _ranked(rows: list[dict]) -> list[dict]:
    """Rank on the unrounded value (1 = highest, ties share the lower rank); then order the rows."""
    known = sorted((r["value_exact"] for r in rows if r["value_exact"] is not None), reverse=True)
    first_at = {}
    for i, v in enumerate(known, start=1):
        first_at.setdefault(v, i)
    last = {sg.ABSENT: 2}
    for r in rows:
        r["rank"] = first_at.get(r["value_exact"]) if r["value_exact"] is not None else None
    rows.sort(key=lambda r: (r["rank"] is None, last.get(r["verdict"], 1), r["rank"] or 0, r["region_title"]))
    return [{c: r[c] for c in COLUMNS} for r in rows]

"""The one route from StatLine cells to the figures every page and the CLI show.

    observations -> `view_cells.to_cells` (labels, geheim) -> shares -> rates per 1.000
    -> "bestond niet" (`vtdata.model.lifetimes`)

`figure_cells` is used by the theme pages (`vtdata.ui.context`), the home page and
the region profile, so a region that did not exist in a period reads "bestond
niet" everywhere and a suppressed cell "geheim" everywhere (before, the home page
had its own route and called a merged gemeente's empty cells "geheim"). Pure
apart from reading the database; no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vtdata.figures import significance as sg
from vtdata.model import structure
from vtdata.figures.view_cells import add_shares, to_cells
from vtdata.model.view_spec import Category, MODE_MEASURES, ViewSpec
from vtdata.format import is_percent_unit
from vtdata.model.lifetimes import Lifetimes, mark_absent
from vtdata.figures.rates import add_rates_per_category, population_year


def figure_cells(db, spec: ViewSpec, regions, periods, lifetimes: Lifetimes) -> pd.DataFrame:
    """The cells of a view for `regions` (None: all) and `periods`, with shares, rates and absent marks."""
    args = spec.query_args()
    obs = db.observations(spec.table_id, regions=None if regions is None else list(regions), periods=list(periods),
                          measures=args["measures"], categories=args["categories"])
    cells = add_shares(to_cells(obs, spec), spec)
    years = sorted({population_year(p) for p in periods})
    population = db.population(None if regions is None else list(regions), years) if hasattr(db, "population") else None
    if population is not None and len(population):
        cells = add_rates_per_category(cells, population, spec.bases)
    return mark_absent(cells, lifetimes)


def topics_spec(table_id: str, measures: pd.DataFrame, keys: list[str] | None = None) -> ViewSpec:
    """A view whose categories are topics of a table (all, or `keys`), labelled as the pages label them."""
    labels = structure.topic_labels(measures)
    rows = measures if keys is None else measures[measures["key"].isin(keys)]
    items = [Category(str(k), str(t), None, label=labels.get(str(k), str(t))) for k, t in zip(rows["key"], rows["title"])]
    units = rows["unit"].dropna().astype(str).unique().tolist()
    return ViewSpec(
        table_id=table_id, mode=MODE_MEASURES, categories=tuple(items), total_key=None,
        unit=units[0] if len(units) == 1 else None, decimals=int(rows["decimals"].fillna(0).max()) if len(rows) else 0,
    )


@dataclass(frozen=True)
class AcuteShares:
    """Share of the meldingen with acute onveiligheid per region: region, acute, total, share (percent)."""

    measure_title: str
    shares: pd.DataFrame


def acute_shares(db, table_id: str, period: str) -> AcuteShares | None:
    """Per region the share of acute onveiligheid among all meldingen of the veiligheid table, or None.

    share = acute / total × 100 of the same region and period; the total is the dimension's
    grand total (`vtdata.model.structure`); a suppressed cell or an absent region gives no share.
    """
    dims = db.dimensions(table_id)
    if dims.empty:
        return None
    acute_dim = acute_key = None
    totals: dict[str, str] = {}
    for dim in dims["key"].astype(str):
        s = structure.build_structure(db.categories(table_id, dim))
        if s.total is None:
            return None
        totals[dim] = s.total
        hit = next((n.key for n in s.nodes if structure.normalize(n.title).startswith("acute onveilig")), None)
        if acute_dim is None and hit:
            acute_dim, acute_key = dim, hit
    if acute_dim is None:
        return None
    measures = db.measures(table_id)
    counts = measures[~measures["unit"].map(is_percent_unit)]
    preferred = counts[counts["title"].astype(str).str.contains("melding", case=False)]
    chosen = preferred if len(preferred) else counts
    if chosen.empty:
        return None
    categories = {dim: [totals[dim]] for dim in totals}
    categories[acute_dim] = [totals[acute_dim], acute_key]
    obs = db.observations(table_id, periods=[period], measures=[str(chosen["key"].iloc[0])], categories=categories)
    usable = obs[~obs["suppressed"].astype(bool) & obs["value"].notna()]
    acute = {r: v for r, k, v in zip(usable["region"], usable[acute_dim], usable["value"]) if k == acute_key}
    total = {r: v for r, k, v in zip(usable["region"], usable[acute_dim], usable["value"]) if k == totals[acute_dim]}
    both = [r for r in total if r in acute and total[r] > 0]
    frame = pd.DataFrame({"region": both, "acute": [acute[r] for r in both], "total": [total[r] for r in both]})
    frame["share"] = frame["acute"] / frame["total"] * 100
    return AcuteShares(str(chosen["title"].iloc[0]), frame)


def verdicts_against(cells: pd.DataFrame, region: str, reference: str, field: str) -> dict[str, str]:
    """category -> verdict of `region` against `reference` (another region in the same cells, e.g. its
    VT-regio or Nederland) on `field` ("share" or "rate"), by the tests of `vtdata.figures.significance`.

    The count is the cell's value; its base is derived from the figure shown (the total =
    value / share, the population = value / rate × 1.000), so the test uses what the page shows.
    """
    mine = cells[cells["region"] == region].set_index("category")
    theirs = cells[cells["region"] == reference].set_index("category")
    out = {}
    for key, row in mine.iterrows():
        if key not in theirs.index or field not in row or pd.isna(row.get(field)) or pd.isna(theirs.loc[key, field]):
            continue
        if pd.isna(row["value"]) or float(row[field]) <= 0:
            continue
        out[str(key)] = sg.compare_figure(row["value"], row[field], float(theirs.loc[key, field]), field).verdict
    return out

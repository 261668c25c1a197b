"""Counts as rates per 1.000 inwoners or per 1.000 minderjarigen (pure; no database, no Streamlit).

rate = value / population * 1000, with the population on 1 January of the
period's year (CBS table 03759ned, see `vtdata.storage.population`). A suppressed cell,
a missing population and a percentage never become a rate: they stay NaN.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from vtdata.frames import per_unique
from vtdata.model.catalog import POPULATION_TABLE
from vtdata.format import SUPPRESSED_LABEL, format_number, is_percent_unit
from vtdata.model.periods import period_year

BASES = ("inwoners", "minderjarigen")
PER = 1000
NOT_APPLICABLE_LABEL = "n.v.t."  # a percentage has no rate

_BASIS_TEXT = {"inwoners": "inwoners", "minderjarigen": "minderjarigen (0 tot en met 17 jaar)"}


def population_year(period_code: str) -> int:
    """The year whose 1 January population a period's rate divides by.

    A half year and a whole year both use 1 January of their year: 2023HJ01,
    2023HJ02 and 2023JJ00 all use the population on 1 January 2023 (CBS
    publishes the population per 1 January; the count is not rescaled to the
    length of the period, so a half-year rate is about half a year-rate).
    """
    return period_year(period_code)


def basis_of_text(rate_basis: str) -> str:
    """The basis named in a `rate_basis` text ("per 1.000 minderjarigen op ...")."""
    return "minderjarigen" if "minderjarigen" in str(rate_basis or "") else "inwoners"


def _check_basis(basis: str) -> str:
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, not {basis!r}")
    return basis


def basis_text(basis: str, year: int) -> str:
    """"per 1.000 inwoners op 1 januari 2023"."""
    return f"per {format_number(PER)} {_check_basis(basis)} op 1 januari {int(year)}"


def formula_text(basis: str, year: int) -> str:
    """The sentence shown under a rate: what is divided by what."""
    _check_basis(basis)
    return (
        f"Per {format_number(PER)} {basis} = aantal / {_BASIS_TEXT[basis]} op 1 januari {int(year)} "
        f"× {format_number(PER)} (CBS-tabel {POPULATION_TABLE.id})"
    )


# The columns `add_rates` adds.
RATE_COLUMNS = ("rate", "rate_label", "rate_basis")


def rate_decimals(rate: float) -> int:
    """Two decimals below 10 per 1.000 (a half-year category is often 0,1-1), else one."""
    return 2 if abs(rate) < 10 else 1


def add_rates(cells: pd.DataFrame, population: pd.DataFrame, *, basis: str = "inwoners") -> pd.DataFrame:
    """`cells` (of `view_cells.to_cells`) with `rate`, `rate_label` and `rate_basis` added.

    `population` has region, year, inwoners, minderjarigen (`Database.population`,
    for every year the cells' periods need). rate is NaN when the cell is
    suppressed, its unit is a percentage, or the population is missing or 0.
    """
    _check_basis(basis)
    df = cells.copy()
    if df.empty:
        for column, dtype in zip(RATE_COLUMNS, (float, object, object)):
            df[column] = pd.Series(dtype=dtype, index=df.index)
        return df
    years = per_unique(df, ["period"], population_year).astype(int)
    people = _people(df["region"], years, population, basis)
    value = pd.to_numeric(df["value"], errors="coerce").to_numpy(dtype=float)
    suppressed = df["suppressed"].astype(bool).to_numpy()
    percent = per_unique(df, ["unit"], is_percent_unit).astype(bool)
    counted = ~suppressed & ~percent & (people > 0) & ~np.isnan(value)  # NaN people compare False
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(counted, value / people * PER, math.nan)
    labels = np.full(len(df), format_number(math.nan), dtype=object)
    labels[percent] = NOT_APPLICABLE_LABEL
    labels[suppressed] = SUPPRESSED_LABEL
    labels[counted] = [format_number(rate, rate_decimals(rate)) for rate in rates[counted]]
    df["rate"] = pd.Series(rates, index=df.index, dtype=float)
    df["rate_label"] = pd.Series(labels, index=df.index, dtype=object)
    texts = {year: basis_text(basis, year) for year in set(years.tolist())}  # a handful of years
    df["rate_basis"] = pd.Series([texts[year] for year in years.tolist()], index=df.index, dtype=object)
    return df


def _people(regions: pd.Series, years: np.ndarray, population: pd.DataFrame, basis: str) -> np.ndarray:
    """Per cell the population its rate divides by (NaN when unknown): the `basis` of its region and year."""
    if not len(population):
        return np.full(len(regions), math.nan)
    known = population[["region", "year", basis]].dropna(subset=[basis])
    # a dictionary, not a merge: a merge's fixed cost was a third of a region's cells
    people = dict(zip(zip(known["region"].astype(str).tolist(), known["year"].astype(int).tolist()),
                      known[basis].astype(float).tolist()))  # a repeated (region, year): the last row counts
    cells = zip(regions.astype(str).tolist(), years.tolist())
    return np.fromiter((people.get(cell, math.nan) for cell in cells), dtype=float, count=len(regions))


def add_rates_per_category(cells: pd.DataFrame, population: pd.DataFrame, bases: Mapping[str, str] | None = None) -> pd.DataFrame:
    """`add_rates` with each category's basis: `bases` maps a category key to "minderjarigen"
    (declared per theme in the catalog, `Theme.per_minor`, e.g. kindermishandeling); any
    other category is counted per 1.000 inwoners."""
    if cells.empty:
        return add_rates(cells, population)
    bases = per_unique(cells, ["category"], lambda k: (bases or {}).get(str(k), "inwoners"))
    parts = [add_rates(cells[bases == basis], population, basis=basis) for basis in dict.fromkeys(bases)]
    return pd.concat(parts).loc[cells.index]

"""A few regions' cells are slices of each region's whole history (`vtdata.ui.context.view_cells`):
they must equal the cells `figure_cells` builds directly, row for row, for every theme's tables."""

from __future__ import annotations

import pandas as pd
import pytest

from vtdata.figures.pipeline import figure_cells
from vtdata.model.catalog import THEMES
from vtdata.ui import context, data


def _specs(version: str):
    db = data.database()
    for theme in THEMES:
        for table in theme.tables:
            if table in set(db.tables()["table_id"].astype(str)):
                yield theme, context.view_spec(version, theme.slug, table, None, None, None)


@pytest.fixture(scope="module")
def version(demo_db) -> str:
    return data.database().version


def test_cells_sliced_from_histories_equal_a_direct_build(version):
    db = data.database()
    periods = context.history_periods(version)
    lifetimes = context.lifetimes(version)
    compared = 0
    for theme, spec in _specs(version):
        regions_of_table = db.observations(spec.table_id, periods=[periods[-1]])["region"].astype(str).unique().tolist()
        gemeenten = sorted(r for r in regions_of_table if r.startswith("GM"))
        others = sorted(r for r in regions_of_table if not r.startswith("GM"))
        region_sets = [tuple(regions_of_table[:1]), tuple(gemeenten[:1] + others[-1:]), tuple(gemeenten[-2:] + others[:2])]
        # a gemeente merged away (its history ends early): "bestond niet" must come out alike
        region_sets += [("GM0003",), ("GM0003", *others[:1])]
        years = [p for p in periods if "JJ" in p]
        # one period (the newest: a year without population for the merged gemeente), a year with
        # two half-years, and (for one set of regions) every period
        period_sets = [periods[-1:], (years[-1], periods[-3], periods[-1])]
        for n, regions in enumerate(region_sets):
            regions = tuple(sorted(set(r for r in regions if r)))
            for wanted in period_sets + ([periods] if n == 0 else []):
                sliced = context.view_cells(version, spec, regions, tuple(wanted))
                direct = figure_cells(db, spec, regions, wanted, lifetimes)
                pd.testing.assert_frame_equal(sliced, direct, obj=f"{theme.slug} {spec.table_id} {regions} {wanted}")
                compared += len(direct)
    assert compared > 1000


def test_cells_of_a_region_are_built_once_for_every_period(version, monkeypatch):
    """A new period of a region seen before builds no cells: they are in the region's history."""
    theme, spec = next(_specs(version))
    periods = context.history_periods(version)
    context.view_cells(version, spec, ("GM0363",), periods[-1:])
    built = []
    monkeypatch.setattr(context, "figure_cells", lambda *a: built.append(a))
    cells = context.view_cells(version, spec, ("GM0363",), periods[-3:-1])
    assert built == [] and set(cells["period"]) == set(periods[-3:-1])

"""The deterministic synthetic demo data set, in exact StatLine OData v3 shape.

`build_demo_snapshots()` gives the ten Veilig Thuis tables of `vtdata.model.catalog` as
`TableSnapshot`s, as if downloaded from StatLine, so the app works offline and
the refresh can be tested end to end. The figures are invented (and say so in
TableInfos), but follow the published national totals and CBS practice:
rounded to multiples of 5, small cells suppressed, voorlopig last period.

- `spec.py`: the vocabulary of the table descriptions
- `tables.py`: the ten tables, declaratively
- `regions.py`: regions and gemeente membership per year (bundled geodata)
- `values.py`: true counts per gemeente, aggregation, rounding and suppression
- `odata.py`: the entity sets
"""

from __future__ import annotations

import numpy as np

from vtdata.model.catalog import TABLES
from vtdata.source.demo.odata import entity_sets
from vtdata.source.demo.regions import geography
from vtdata.source.demo.spec import TableSpec, flat_topics
from vtdata.source.demo.tables import TABLE_SPECS
from vtdata.source.demo.values import gemeente_values, percentage, publish, regional_values
from vtdata.source.snapshot import TableSnapshot

__all__ = ["TABLE_SPECS", "build_demo_snapshots", "build_demo_snapshot"]


def _topic_columns(spec: TableSpec) -> tuple[list, list[np.ndarray]]:
    """The table's regions and its published values per topic, shaped (*categories, R, P)."""
    geo = geography()
    true, exists = regional_values(gemeente_values(spec))  # (R, P, *C, T), (R, P)
    keep = [i for i, r in enumerate(geo.regions) if r.level in spec.levels]
    published = publish(true[keep], exists[keep])
    published = np.moveaxis(published, (0, 1), (-3, -2))  # (*C, R, P, T)

    topics = flat_topics(spec.topics)
    counted = {t.source: published[..., i] for i, t in enumerate(t for t in topics if t.relative_to is None)}
    columns = [counted[t.source] if t.relative_to is None else percentage(counted[t.source], counted[t.relative_to])
               for t in topics]
    return [geo.regions[i] for i in keep], columns


def build_demo_snapshot(table_id: str) -> TableSnapshot:
    spec = TABLE_SPECS[table_id]
    regions, columns = _topic_columns(spec)
    return TableSnapshot(table_id, entity_sets(spec, regions, columns))


def build_demo_snapshots(table_ids: list[str] | None = None) -> list[TableSnapshot]:
    """Demo snapshots of the given tables (default: all tables of the catalog), in catalog order."""
    ids = list(TABLES) if table_ids is None else list(table_ids)
    unknown = [t for t in ids if t not in TABLE_SPECS]
    if unknown:
        raise KeyError(f"geen demotabel voor: {', '.join(unknown)}")
    return [build_demo_snapshot(t) for t in ids]

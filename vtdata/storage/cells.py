"""Raw observation rows to the tidy frame of `Database.observations`.

The titles, units and StatLine positions of one table are small and never
change within a published version, so they are read once per table (`TableKeys`)
and looked up here with Arrow's vectorised hash look-ups. That is several times
faster than joining `categories` and `measures` into every query, which is what
a page asks for on every chart.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Runs one parameterised query and returns its result as an Arrow table.
FetchArrow = Callable[[str, list], pa.Table]


def _arrays(table: pa.Table) -> dict[str, pa.Array]:
    """Columns as single arrays (what `index_in` and `take` work on)."""
    return {name: column.combine_chunks() for name, column in zip(table.column_names, table.columns)}


class TableKeys:
    """The dimensions, measures and categories of one table, read once.

    Regions and periods are kept in key order and measures and categories in
    StatLine position order (nulls last), so a key's index is its rank in the
    ORDER BY of the tidy frame.
    """

    def __init__(self, table_id: str, fetch: FetchArrow):
        self.table_id = table_id
        dims = fetch(
            "SELECT key, slot FROM dimensions WHERE table_id = ? AND slot IS NOT NULL ORDER BY slot", [table_id]
        ).to_pylist()
        self.slot_of: dict[str, str] = {row["key"]: row["slot"] for row in dims}  # checked by the caller
        self.measures = _arrays(
            fetch(
                "SELECT key, title, unit, decimals FROM measures WHERE table_id = ? ORDER BY position NULLS LAST",
                [table_id],
            )
        )

        def categories(dimension: str, order: str) -> dict[str, pa.Array]:
            sql = f"SELECT key, title, status FROM categories WHERE table_id = ? AND dimension = ? ORDER BY {order}"
            return _arrays(fetch(sql, [table_id, dimension]))

        self.regions = categories("RegioS", "key")
        self.periods = categories("Perioden", "key")
        self.categories = {key: categories(key, "position NULLS LAST") for key in self.slot_of}

    def tidy(self, cells: pa.Table) -> pd.DataFrame:
        """`cells` (region, period, the table's slots, measure, value, suppressed) as the tidy frame.

        The same frame as the SQL it replaces: titles from a left join on the
        categories, measures an inner join, rows ordered by region, period, measure
        position and category positions (nulls last).
        """
        cells = _arrays(cells)
        measure_at = pc.index_in(cells["measure"], value_set=self.measures["key"])
        if measure_at.null_count:  # the inner join on measures
            known = pc.is_valid(measure_at)
            cells = {name: column.filter(known) for name, column in cells.items()}
            measure_at = measure_at.drop_null()
        region_at = pc.index_in(cells["region"], value_set=self.regions["key"])
        period_at = pc.index_in(cells["period"], value_set=self.periods["key"])
        category_at = {
            key: pc.index_in(cells[slot], value_set=self.categories[key]["key"]) for key, slot in self.slot_of.items()
        }
        ranks = [
            _key_rank(cells["region"], region_at),
            _key_rank(cells["period"], period_at),
            measure_at.to_numpy(),
            *(_position_rank(at, len(self.categories[key]["key"])) for key, at in category_at.items()),
        ]
        order = np.lexsort(ranks[::-1])
        # The loader stores the cells in this order, so usually nothing has to move.
        moves = None if (np.diff(order) == 1).all() else pa.array(order)

        def ordered(array: pa.Array) -> pa.Array:
            return array if moves is None else array.take(moves)

        def title(lookup: dict[str, pa.Array], column: str, at: pa.Array) -> pa.Array:
            return lookup[column].take(ordered(at))

        columns = {
            "table_id": pa.array([self.table_id], pa.string()).take(pa.array(np.zeros(len(order), np.int32))),
            "region": ordered(cells["region"]),
            "region_title": title(self.regions, "title", region_at),
            "period": ordered(cells["period"]),
            "period_title": title(self.periods, "title", period_at),
            "period_status": title(self.periods, "status", period_at),
            "measure": ordered(cells["measure"]),
            "measure_title": title(self.measures, "title", measure_at),
            "unit": title(self.measures, "unit", measure_at),
            "decimals": title(self.measures, "decimals", measure_at),
        }
        for key, slot in self.slot_of.items():
            columns[key] = ordered(cells[slot])
            columns[f"{key}_title"] = title(self.categories[key], "title", category_at[key])
        columns["value"] = ordered(cells["value"])
        columns["suppressed"] = ordered(cells["suppressed"])
        return _to_pandas(pa.Table.from_arrays(list(columns.values()), names=list(columns)))


def _key_rank(keys: pa.Array, at: pa.Array) -> np.ndarray:
    """Rank of each key in key order: its index among the known keys, else ranked among themselves."""
    if at.null_count:  # a key the categories do not hold (not in a valid database): rank the keys
        return pc.rank(keys, sort_keys="ascending", tiebreaker="dense").to_numpy()
    return at.to_numpy()


def _position_rank(at: pa.Array, known: int) -> np.ndarray:
    """Rank by position; an unknown category has a NULL position, which sorts last."""
    return pc.fill_null(at, known).to_numpy() if at.null_count else at.to_numpy()


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """With the dtypes DuckDB's `.df()` gives: nullable Int32 for an integer column with
    nulls, `object` strings for an empty result."""
    nullable_ints = any(pa.types.is_integer(c.type) and c.null_count for c in table.columns)
    frame = table.to_pandas(types_mapper={pa.int32(): pd.Int32Dtype()}.get if nullable_ints else None)
    if not len(frame):
        strings = [name for name, column in zip(table.column_names, table.columns) if pa.types.is_string(column.type)]
        frame = frame.astype({name: object for name in strings})
    return frame

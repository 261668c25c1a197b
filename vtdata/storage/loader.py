"""Load StatLine snapshots into a DuckDB database of the schema in `vtdata.storage.schema`."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from vtdata.storage.breakdown_check import record_breakdown_checks
from vtdata.model.catalog import region_level
from vtdata.storage.group_titles import group_titles
from vtdata.source.identifiers import SAFE_KEY_TEXT, quote_identifier, unsafe_keys
from vtdata.storage.load_fit import UnfitTable, fit_snapshot
from vtdata.model.periods import PERIOD_RE, is_provisional
from vtdata.storage.schema import CATEGORY_SLOTS, SCHEMA_SQL
from vtdata.source.snapshot import CATEGORY_GROUPS, DIMENSION_TYPES, TableSnapshot

REGION_SUFFIXES = (" (LD)", " (PV)", " (VT)", " (gemeente)", " (CR)")


class LoadError(Exception):
    """A snapshot that cannot be loaded, with a one-line Dutch message."""


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA_SQL)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Bulk insert tuples in the table's column order (executemany is ~100x slower)."""
    if not rows:
        return
    frame = pd.DataFrame.from_records(rows)
    con.register("rows_to_insert", frame)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM rows_to_insert")
    finally:
        con.unregister("rows_to_insert")


def _clean(text) -> str | None:
    return text.strip() if isinstance(text, str) else text


def _measure_rows(snapshot: TableSnapshot) -> list[tuple]:
    props = snapshot.data_properties
    group_paths = group_titles([p for p in props if p["Type"] == "TopicGroup"])
    return [
        (
            snapshot.table_id,
            _clean(p["Key"]),
            _clean(p["Title"]),
            _clean(p.get("Description")),
            _clean(p.get("Unit")),
            p.get("Decimals"),
            p.get("Datatype"),
            group_paths.get(p.get("ParentID")),
            p.get("Position", i),
        )
        for i, p in enumerate(props)
        if p["Type"] == "Topic"
    ]


def _dimension_rows(snapshot: TableSnapshot) -> list[tuple]:
    rows, slots = [], iter(CATEGORY_SLOTS)
    for i, p in enumerate(snapshot.data_properties):
        if p["Type"] not in DIMENSION_TYPES:
            continue
        key = _clean(p["Key"])
        slot = None
        if p["Type"] == "Dimension":
            slot = next(slots, None)
            if slot is None:
                raise LoadError(f"Tabel {snapshot.table_id} heeft meer dan {len(CATEGORY_SLOTS)} categoriedimensies.")
        rows.append((snapshot.table_id, key, _clean(p["Title"]), p["Type"], slot, p.get("Position", i)))
    return rows


def _category_rows(snapshot: TableSnapshot, dimension: str) -> list[tuple]:
    groups = [g for g in snapshot.entities.get(CATEGORY_GROUPS, []) if _clean(g.get("DimensionKey")) == dimension]
    group_paths = group_titles(groups)
    if dimension not in snapshot.entities:
        raise LoadError(f"Tabel {snapshot.table_id} mist de dimensie {dimension}.")
    return [
        (
            snapshot.table_id,
            dimension,
            _clean(c["Key"]),
            _clean(c["Title"]),
            _clean(c.get("Description")),
            group_paths.get(c.get("CategoryGroupID")),
            _clean(c.get("Status")),
            position,
        )
        for position, c in enumerate(snapshot.entities[dimension])
    ]


def _insert_observations(
    con: duckdb.DuckDBPyConnection, snapshot: TableSnapshot, dims: list[tuple], order: dict[str, list[str]]
) -> int:
    """Insert the TypedDataSet as long rows: one per cell, keys stripped, null = suppressed.

    The rows go to DuckDB as Arrow columns and are unpivoted there: much faster
    than reshaping the ~10^6 cells of the large tables in pandas. They are stored
    in the order `Database.observations` returns them (region, period, then the
    StatLine positions of measure and categories, `order` gives the keys in that
    order): DuckDB's zone maps then skip the row groups of other regions, and a
    query's rows come back already sorted.
    """
    rows = snapshot.rows
    topics = snapshot.topic_keys
    columns = {key: pa.array([row.get(key) for row in rows], type=pa.string()) for key in snapshot.dimension_keys}
    for topic in topics:
        try:
            columns[topic] = pa.array([row.get(topic) for row in rows], type=pa.float64())
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise LoadError(f"Tabel {snapshot.table_id}: onderwerp {topic} bevat geen getallen.") from exc
    slot_of = {key: slot for (_, key, _, _, slot, _) in dims if slot}
    keys = ["trim(RegioS) AS region", "trim(Perioden) AS period"]
    keys += [f"trim({quote_identifier(key)}) AS {slot}" for key, slot in slot_of.items()]
    keys += [f"'' AS {slot}" for slot in CATEGORY_SLOTS if slot not in slot_of.values()]
    topic_list = ", ".join(quote_identifier(topic) for topic in topics)
    positions = [f"list_position(?::VARCHAR[], {column})" for column in ("measure", *slot_of.values())]
    position_keys = [order["measure"], *(order[key] for key in slot_of)]
    con.register("typed_data_set", pa.table(columns))
    try:
        con.execute(
            f"""INSERT INTO observations
                SELECT ?, region, period, cat1, cat2, cat3, measure, value, value IS NULL
                FROM (SELECT {", ".join(keys)}, {topic_list} FROM typed_data_set)
                UNPIVOT INCLUDE NULLS (value FOR measure IN ({topic_list}))
                ORDER BY region, period, {", ".join(positions)}""",
            [snapshot.table_id, *position_keys],
        )
    finally:
        con.unregister("typed_data_set")
    return len(rows) * len(topics)


def insert_table_info(con: duckdb.DuckDBPyConnection, snapshot: TableSnapshot, periods: list[str]) -> None:
    """The table's `stat_tables` row, from its TableInfos; `periods` sorted."""
    info = snapshot.info
    table_id = snapshot.table_id
    con.execute(
        "INSERT INTO stat_tables VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            table_id,
            _clean(info.get("Title")) or table_id,
            _clean(info.get("ShortTitle")),
            _clean(info.get("Summary")),
            _clean(info.get("ShortDescription")),
            _clean(info.get("Description")),
            _clean(info.get("Modified")),
            _clean(info.get("Frequency")),
            len(snapshot.rows),
            periods[0] if periods else None,
            periods[-1] if periods else None,
        ],
    )


def _check_keys(snapshot: TableSnapshot) -> None:
    """Dimension and topic keys become column names in SQL: only plain keys may pass."""
    try:
        bad = unsafe_keys([*snapshot.dimension_keys, *snapshot.topic_keys])
    except (KeyError, TypeError) as exc:
        raise LoadError(f"Tabel {snapshot.table_id} heeft een onverwachte vorm ({type(exc).__name__}: {exc}).") from exc
    if bad:
        raise LoadError(f"Tabel {snapshot.table_id}: ongeldige sleutel {str(bad[0])[:40]!r} ({SAFE_KEY_TEXT} toegestaan).")


def load_snapshot(con: duckdb.DuckDBPyConnection, snapshot: TableSnapshot) -> int:
    """Write one table's metadata and observations; returns the number of cells."""
    table_id = snapshot.table_id
    _check_keys(snapshot)
    try:
        _ = snapshot.info  # a missing TableInfos fails here, as a LoadError
        snapshot, notes = fit_snapshot(snapshot)
        dims = _dimension_rows(snapshot)
        measures = _measure_rows(snapshot)
        categories = [row for dim in dims for row in _category_rows(snapshot, dim[1])]
    except UnfitTable as exc:
        raise LoadError(str(exc)) from exc
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise LoadError(f"Tabel {table_id} heeft een onverwachte vorm ({type(exc).__name__}: {exc}).") from exc
    if not measures:
        raise LoadError(f"Tabel {table_id} heeft geen onderwerpen (Topics).")
    periods = sorted({row[2] for row in categories if row[1] == "Perioden"})
    insert_table_info(con, snapshot, periods)
    insert_rows(con, "measures", measures)
    insert_rows(con, "dimensions", dims)
    insert_rows(con, "categories", categories)
    insert_rows(con, "category_groups", _category_group_rows(snapshot))
    insert_rows(con, "load_notes", [(table_id, note) for note in notes])
    by_position = sorted(measures, key=lambda row: (row[8] is None, row[8] or 0))  # NULLS LAST, as the queries
    order = {"measure": [row[1] for row in by_position]}
    order |= {dim[1]: [row[2] for row in categories if row[1] == dim[1]] for dim in dims if dim[4]}
    cells = _insert_observations(con, snapshot, dims, order)
    record_breakdown_checks(con, table_id)
    return cells


def _category_group_rows(snapshot: TableSnapshot) -> list[tuple]:
    groups = snapshot.entities.get(CATEGORY_GROUPS, [])
    paths = group_titles(groups)
    return [
        (snapshot.table_id, _clean(g.get("DimensionKey")), str(g["ID"]), _clean(g.get("Title")),
         _clean(g.get("Description")), paths.get(g["ID"]))
        for g in groups
    ]


def derive_regions_and_periods(con: duckdb.DuckDBPyConnection) -> None:
    """Fill `regions` and `periods` from the categories of all loaded tables."""
    region_rows = con.execute(
        "SELECT key, first(title ORDER BY table_id) FROM categories WHERE dimension = 'RegioS' GROUP BY key"
    ).fetchall()
    regions = []
    for code, title in region_rows:
        level = region_level(code)
        if level is None:
            raise LoadError(f"Onbekende regiocode {code!r} in RegioS.")
        regions.append((code, title, strip_region_suffix(title), level))
    insert_rows(con, "regions", regions)

    period_rows = con.execute(
        """SELECT key, first(title ORDER BY table_id), list(status)
           FROM categories WHERE dimension = 'Perioden' GROUP BY key"""
    ).fetchall()
    periods = []
    for code, title, statuses in period_rows:
        status = "Voorlopig" if any(is_provisional(s) for s in statuses) else "Definitief"
        match = PERIOD_RE.match(code)
        if not match:
            raise LoadError(f"Onbekende periodecode {code!r} in Perioden.")
        periods.append((code, title.rstrip("*").strip(), int(match.group(1)), match.group(2)[:2], status))
    insert_rows(con, "periods", periods)


def strip_region_suffix(title: str) -> str:
    for suffix in REGION_SUFFIXES:
        if title.endswith(suffix):
            return title[: -len(suffix)]
    return title


def write_meta(con: duckdb.DuckDBPyConnection, values: dict[str, str]) -> None:
    insert_rows(con, "meta", [(key, str(value)) for key, value in values.items()])

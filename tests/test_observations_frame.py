"""`Database.observations` gives exactly the frame of a plain SQL join, whatever the storage order.

The query API looks titles up from the table's keys instead of joining them in
SQL (vtdata.storage.cells). The reference here is that join, written out in SQL: same
columns, dtypes, values and row order, also for rows the keys do not know and
for a database whose cells are stored shuffled.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from tests.statline_samples import sample_snapshots
from vtdata.storage import loader
from vtdata.storage.queries import Database


def reference(con: duckdb.DuckDBPyConnection, table_id: str, where: str = "", params: tuple = ()) -> pd.DataFrame:
    """The tidy frame as one SQL query joining measures and categories (what the API replaced)."""
    dims = con.execute(
        "SELECT key, slot FROM dimensions WHERE table_id = ? AND slot IS NOT NULL ORDER BY slot", [table_id]
    ).fetchall()
    select = [
        "o.table_id", "o.region", "r.title AS region_title", "o.period", "p.title AS period_title",
        "p.status AS period_status", "o.measure", "m.title AS measure_title", "m.unit", "m.decimals",
    ]
    joins = [
        "JOIN measures m ON m.table_id = o.table_id AND m.key = o.measure",
        "LEFT JOIN categories r ON r.table_id = o.table_id AND r.dimension = 'RegioS' AND r.key = o.region",
        "LEFT JOIN categories p ON p.table_id = o.table_id AND p.dimension = 'Perioden' AND p.key = o.period",
    ]
    for key, slot in dims:
        select += [f'o.{slot} AS "{key}"', f'c_{slot}.title AS "{key}_title"']
        joins.append(
            f"LEFT JOIN categories c_{slot} ON c_{slot}.table_id = o.table_id "
            f"AND c_{slot}.dimension = '{key}' AND c_{slot}.key = o.{slot}"
        )
    order = ", ".join(["o.region", "o.period", "m.position", *(f"c_{slot}.position" for _, slot in dims)])
    sql = (
        f"SELECT {', '.join(select)}, o.value, o.suppressed FROM observations o {' '.join(joins)} "
        f"WHERE o.table_id = ? {where} ORDER BY {order}"
    )
    return con.execute(sql, [table_id, *params]).df()


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    """A sample database with cells the keys do not know, stored in random order."""
    path = tmp_path_factory.mktemp("frame") / "shuffled.duckdb"
    con = duckdb.connect(str(path))
    loader.create_schema(con)
    for snapshot in sample_snapshots():
        loader.load_snapshot(con, snapshot)
    loader.derive_regions_and_periods(con)
    con.execute(
        """INSERT INTO observations VALUES
           ('84852NED', 'GM9999', '2023HJ01', 'T001038', '', '', 'OntvangenMeldingen_1', 5, false),    -- unknown region
           ('84852NED', 'NL01', '2023HJ01', 'ONBEKEND', '', '', 'OntvangenMeldingen_1', 10, false),    -- unknown category
           ('84852NED', 'NL01', '2023HJ01', 'T001038', '', '', 'GeenOnderwerp', 15, false)    -- unknown measure"""
    )
    con.execute("CREATE TABLE shuffled AS SELECT * FROM observations ORDER BY hash(region || period || measure || cat1)")
    con.execute("DELETE FROM observations")
    con.execute("INSERT INTO observations SELECT * FROM shuffled")
    con.execute("DROP TABLE shuffled")
    con.close()
    return path


CASES = [
    ("84852NED", {}, "", ()),
    ("84852NED", {"regions": ["NL01", "GM9999"]}, "AND o.region IN ('NL01', 'GM9999')", ()),
    ("84852NED", {"periods": ["2023HJ01"]}, "AND o.period = '2023HJ01'", ()),
    ("84852NED", {"regions": ["GM0363"], "periods": ["2022HJ02", "2023HJ01"], "categories": {"Kenmerken": ["T001038"]}},
     "AND o.region = 'GM0363' AND o.period IN ('2022HJ02', '2023HJ01') AND o.cat1 = 'T001038'", ()),
    ("85361NED", {"regions": ["VT01"]}, "AND o.region = 'VT01'", ()),
    ("85361NED", {"regions": []}, "AND false", ()),
    ("NOGEENTABEL", {}, "", ()),
]


@pytest.mark.parametrize("table_id, kwargs, where, params", CASES)
def test_same_frame_as_the_sql_join(path, table_id, kwargs, where, params):
    con = duckdb.connect(str(path), read_only=True)
    try:
        expected = reference(con, table_id, where, params)
    finally:
        con.close()
    got = Database(path).observations(table_id, **kwargs)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_a_long_region_list_is_one_parameter(path):
    """Hundreds of regions (a map's gemeenten) give the same cells as a few."""
    db = Database(path)
    few = db.observations("84852NED", regions=["NL01", "GM0363"], periods=["2023HJ01"])
    many = db.observations(
        "84852NED", regions=["NL01", "GM0363", *(f"GM{n:04d}" for n in range(2000, 2400))], periods=["2023HJ01"]
    )
    pd.testing.assert_frame_equal(many, few)


def test_the_loader_stores_cells_in_query_order(tmp_path):
    """Stored by region, period and StatLine positions: DuckDB's zone maps can skip the other regions."""
    con = duckdb.connect(str(tmp_path / "sorted.duckdb"))
    try:
        loader.create_schema(con)
        for snapshot in sample_snapshots():
            loader.load_snapshot(con, snapshot)
        for table_id in ("84852NED", "85361NED"):
            stored = con.execute(
                "SELECT region, period, measure, cat1 FROM observations WHERE table_id = ? ORDER BY rowid", [table_id]
            ).fetchall()
            frame = reference(con, table_id)
            cat1 = frame["Kenmerken"] if "Kenmerken" in frame else [""] * len(frame)
            assert stored == list(zip(frame["region"], frame["period"], frame["measure"], cat1))
    finally:
        con.close()

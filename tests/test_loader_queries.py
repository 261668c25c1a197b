"""Loader and query API on small StatLine-shaped tables in a real DuckDB file."""

from __future__ import annotations

import math
import threading

import duckdb
import pytest

from tests.statline_samples import sample_snapshots
from vtdata.storage import geo
from vtdata.storage import loader
from vtdata.storage.queries import Database
from vtdata.storage.validate import ValidationError, validate


@pytest.fixture(scope="module")
def snapshots():
    return sample_snapshots()


@pytest.fixture(scope="module")
def database(tmp_path_factory, snapshots):
    path = tmp_path_factory.mktemp("db") / "sample.duckdb"
    con = duckdb.connect(str(path))
    loader.create_schema(con)
    for snapshot in snapshots:
        loader.load_snapshot(con, snapshot)
    loader.derive_regions_and_periods(con)
    geo.load_into(con, [2023])
    loader.write_meta(con, {"source": "statline"})
    con.close()
    return Database(path)


def test_keys_are_stripped_and_titles_kept(database, snapshots):
    regions = database.regions()
    assert all(code == code.strip() for code in regions["code"])
    assert "NL01" in set(regions["code"])
    # the level suffix is dropped from the name but kept in the StatLine title
    row = regions[regions["level"] == "VT"].iloc[0]
    assert row["title"].endswith("(VT)") and not row["name"].endswith("(VT)")


def test_every_cell_arrives_once_and_suppressed_is_not_zero(database, snapshots):
    for snapshot in snapshots:
        cells = database.observations(snapshot.table_id)
        assert len(cells) == len(snapshot.rows) * len(snapshot.topic_keys)
        nulls = sum(row[t] is None for row in snapshot.rows for t in snapshot.topic_keys)
        assert int(cells["suppressed"].sum()) == nulls
        assert cells.loc[cells["suppressed"], "value"].isna().all()
        served = sum(row[t] for row in snapshot.rows for t in snapshot.topic_keys if row[t] is not None)
        assert math.isclose(cells["value"].sum(), served)


def test_observations_filter_and_name_dimensions(database):
    cells = database.observations(
        "84852NED", regions=["NL01"], periods=["2023HJ01"], categories={"Kenmerken": ["T001038"]}
    )
    assert set(cells["region"]) == {"NL01"} and set(cells["period"]) == {"2023HJ01"}
    assert set(cells["Kenmerken"]) == {"T001038"} and set(cells["Kenmerken_title"]) == {"Totaal"}
    assert {"measure_title", "unit", "decimals", "period_status"} <= set(cells.columns)
    with pytest.raises(KeyError):
        database.observations("84852NED", categories={"Onbekend": ["x"]})


def test_metadata_queries(database):
    measures = database.measures("84852NED")
    assert measures.iloc[0]["group_title"] == "Meldingen"
    assert set(database.dimensions("85361NED")["key"]) == set()
    assert list(database.dimensions("84852NED")["slot"]) == ["cat1"]
    periods = database.periods()
    assert periods.iloc[-1]["status"] == "Voorlopig"
    assert "84852NED" in database.tables_holding("NL01")


def test_geography_for_the_right_year(database):
    assert database.vt_region_of("GM0363", 2023) == "VT01"
    assert database.vt_region_of("GM0003", 2020) is None  # only 2023 loaded; falls back to it
    assert len(database.shapes("VT", 2023)) == 25



def test_memberships_of_many_years_in_one_query_follow_gemeenten_of(database):
    years = [2019, 2023, 2030]  # before, at and after the one loaded membership year
    members = database.memberships(years)
    assert sorted(set(members["year"])) == years
    for year in years:
        for vt in ("VT01", "VT25"):
            got = members[(members["year"] == year) & (members["vt_region"] == vt)]["gemeente"].tolist()
            assert got == database.gemeenten_of(vt, year) and got
    assert database.memberships([]).empty


def test_queries_from_many_threads(database):
    errors = []

    def work():
        try:
            for _ in range(20):
                assert len(database.observations("85361NED", regions=["NL01"])) > 0
        except Exception as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_validation_reports_a_missing_table(database):
    con = duckdb.connect(str(database.path), read_only=True)
    try:
        with pytest.raises(ValidationError, match="ontbreekt"):
            validate(con, ["84852NED", "85361NED", "84853NED"])
    finally:
        con.close()
